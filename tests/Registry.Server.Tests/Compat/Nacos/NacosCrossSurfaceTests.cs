using System.Net;
using Registry.Server.Tests.Config;

namespace Registry.Server.Tests.Compat.Nacos;

public sealed class NacosCrossSurfaceTests
{
    [Fact]
    public async Task NativeRegistration_IsListedThroughNacos()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 8080, cluster = "east", metadata = new Dictionary<string, string> { ["v"] = "1" } }, "group=shop");

        var info = await client.ListAsync(("serviceName", "shop@@orders"));

        var host = Assert.Single(info.GetProperty("hosts").EnumerateArray());
        Assert.Equal("10.0.0.1#8080#east#shop@@orders", host.GetProperty("instanceId").GetString());
        Assert.Equal("1", host.GetProperty("metadata").GetProperty("v").GetString());
    }

    [Fact]
    public async Task NacosRegistration_IsListedNatively()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("shop@@orders", "10.0.0.1", 8080, ("clusterName", "east"), ("weight", "3"), ("namespaceId", "dev"));

        var list = await client.ListAsync("orders", "namespace=dev&group=shop");

        var instance = Assert.Single(list.Instances);
        Assert.Equal(("10.0.0.1#8080#east", 3.0), (instance.Id, instance.Weight));
    }

    [Fact]
    public async Task NacosDeregister_RemovesANativeRegistration()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", "10.0.0.1");

        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, "/nacos/v1/ns/instance", query: [("serviceName", "orders"), ("ip", "10.0.0.1"), ("port", "8080")]);

        Assert.Empty((await client.ListAsync("orders")).Instances);
    }

    [Fact]
    public async Task NativeConfig_IsReadThroughNacos()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var published = await client.PublishAsync("app.yaml", "a: 1\n", query: "group=shop");

        using var read = await client.GetAsync("/nacos/v1/cs/configs?dataId=app.yaml&group=shop&tenant=", TestContext.Current.CancellationToken);

        Assert.Equal("a: 1\n", await read.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(published.Md5, NacosApi.Header(read, "Content-MD5"));
        Assert.Equal("yaml", read.Headers.GetValues("Config-Type").Single());
    }

    [Fact]
    public async Task NacosConfig_IsReadNativelyWithItsFormat()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishConfigAsync("app.json", "shop", "{\"a\":1}", ("type", "json"), ("tenant", "dev"));

        var (status, content) = await client.ReadAsync("app.json", "namespace=dev&group=shop");
        using var response = await client.GetAsync(ConfigApi.Path("app.json", "namespace=dev&group=shop"), TestContext.Current.CancellationToken);

        Assert.Equal((HttpStatusCode.OK, "{\"a\":1}"), (status, content));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }
}
