using System.Net;

namespace Registry.Server.Tests.Compat.Eureka;

public sealed class StatusAndMetadataTests
{
    private const string Path = "/eureka/v2/apps/MYAPP/host1:myapp:8080";

    [Fact]
    public async Task StatusOverride_OutOfService_DisablesNativelyAndShowsInEureka_RemovingRestoresUp()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance());

        Assert.Equal(HttpStatusCode.OK, await client.SendAsync(HttpMethod.Put, Path + "/status?value=OUT_OF_SERVICE"));

        var instance = (await client.GetJsonAsync(Path))["instance"]!;
        Assert.Equal("OUT_OF_SERVICE", instance["status"].Text());
        Assert.Equal("OUT_OF_SERVICE", instance["overriddenStatus"].Text());
        Assert.False(Assert.Single((await client.ListAsync("myapp")).Instances).Enabled);

        Assert.Equal(HttpStatusCode.OK, await client.SendAsync(HttpMethod.Delete, Path + "/status?value=UP"));

        instance = (await client.GetJsonAsync(Path))["instance"]!;
        Assert.Equal("UP", instance["status"].Text());
        Assert.Equal("UNKNOWN", instance["overriddenStatus"].Text());
        Assert.True(Assert.Single((await client.ListAsync("myapp")).Instances).Enabled);
    }

    [Fact]
    public async Task StatusOverride_SurvivesTheClientRegisteringAgain()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance());
        await client.SendAsync(HttpMethod.Put, Path + "/status?value=OUT_OF_SERVICE");

        await client.RegisteredAsync(EurekaApi.Instance());

        Assert.Equal("OUT_OF_SERVICE", (await client.GetJsonAsync(Path))["instance"]!["status"].Text());
    }

    [Theory]
    [InlineData("/status?value=SIDEWAYS", HttpStatusCode.BadRequest)]
    [InlineData("/status", HttpStatusCode.BadRequest)]
    public async Task StatusOverride_BadValue_Returns400(string suffix, HttpStatusCode expected)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance());

        Assert.Equal(expected, await client.SendAsync(HttpMethod.Put, Path + suffix));
        Assert.Equal("UP", (await client.GetJsonAsync(Path))["instance"]!["status"].Text());
    }

    [Fact]
    public async Task StatusOverride_UnknownInstance_Returns404()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, await client.SendAsync(HttpMethod.Put, "/eureka/v2/apps/MYAPP/x/status?value=OUT_OF_SERVICE"));
    }

    [Fact]
    public async Task Register_StatusDownOrStarting_IsNotRoutableNatively()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        await client.RegisteredAsync(EurekaApi.Instance(status: "STARTING"));

        Assert.Equal("STARTING", (await client.GetJsonAsync(Path))["instance"]!["status"].Text());
        Assert.Empty((await client.ListAsync("myapp", "healthyOnly=true")).Instances);
        await client.RegisteredAsync(EurekaApi.Instance(status: "UP"));
        Assert.Single((await client.ListAsync("myapp", "healthyOnly=true")).Instances);
    }

    [Fact]
    public async Task Metadata_PutKeyValue_AddsToTheInstanceMetadataOnBothSurfaces()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance());

        Assert.Equal(HttpStatusCode.OK, await client.SendAsync(HttpMethod.Put, Path + "/metadata?zone=eu-1&weight=50"));

        var metadata = (await client.GetJsonAsync(Path))["instance"]!["metadata"]!;
        Assert.Equal("eu-1", metadata["zone"].Text());
        Assert.Equal("50", metadata["weight"].Text());
        Assert.Equal("http", metadata["protocol"].Text());
        Assert.Equal("eu-1", Assert.Single((await client.ListAsync("myapp")).Instances).Metadata["zone"]);
    }

    [Fact]
    public async Task Metadata_ReservedEurekaKey_Returns400()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance());

        Assert.Equal(HttpStatusCode.BadRequest, await client.SendAsync(HttpMethod.Put, Path + "/metadata?eureka.instanceId=x"));
        Assert.Equal("host1:myapp:8080", (await client.GetJsonAsync(Path))["instance"]!["instanceId"].Text());
    }
}
