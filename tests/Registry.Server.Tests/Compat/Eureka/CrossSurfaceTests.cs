using System.Net;
using System.Net.Http.Json;

namespace Registry.Server.Tests.Compat.Eureka;

/// <summary>One registry: what one API registers, the other sees.</summary>
public sealed class CrossSurfaceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NativeInstance_IsVisibleThroughEureka_WithIdIpAndVipAddress()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var native = await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 8080, metadata = new { version = "1.4" } });

        var instance = (await client.GetJsonAsync("/eureka/v2/apps/ORDERS"))["application"]!["instance"]![0]!;

        Assert.Equal(native.Id, instance["instanceId"].Text());
        Assert.Equal("ORDERS", instance["app"].Text());
        Assert.Equal("10.0.0.1", instance["hostName"].Text());
        Assert.Equal("10.0.0.1", instance["ipAddr"].Text());
        Assert.Equal(8080, (int)instance["port"]!["$"]!);
        Assert.Equal("orders", instance["vipAddress"].Text());
        Assert.Equal("UP", instance["status"].Text());
        Assert.Equal("1.4", instance["metadata"]!["version"].Text());
        Assert.Equal(5, (int)instance["leaseInfo"]!["renewalIntervalInSecs"]!);
        Assert.Equal(HttpStatusCode.OK, await client.SendAsync(HttpMethod.Put, $"/eureka/v2/apps/ORDERS/{Uri.EscapeDataString(native.Id)}"));
    }

    [Fact]
    public async Task NativeStateChanges_ShowAsEurekaStatuses()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var native = await client.RegisterAsync("orders", "10.0.0.1");

        using (await client.PatchAsJsonAsync(Api.Instance("orders", native.Id), new { enabled = false }, Ct))
        {
        }

        Assert.Equal("OUT_OF_SERVICE", EurekaApi.Instances(await client.GetJsonAsync("/eureka/v2/apps"))[0]["status"].Text());

        using (await client.PatchAsJsonAsync(Api.Instance("orders", native.Id), new { enabled = true }, Ct))
        {
        }

        app.Time.Advance(TimeSpan.FromSeconds(16));
        await app.Service<Registry.Server.Naming.HeartbeatSweeper>().SweepAsync(Ct);
        Assert.Equal("DOWN", EurekaApi.Instances(await client.GetJsonAsync("/eureka/v2/apps"))[0]["status"].Text());
    }

    [Fact]
    public async Task EurekaInstance_IsVisibleNatively_InPublicDefaultGroupUnderTheLowercasedApp()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        await client.RegisteredAsync(EurekaApi.Instance(app: "MyApp"));

        var instance = Assert.Single((await client.ListAsync("myapp", "namespace=public&group=DEFAULT_GROUP&healthyOnly=true")).Instances);
        Assert.Equal("10.0.0.5", instance.Ip);
        Assert.Equal(8080, instance.Port);
        Assert.True(instance.Enabled);
        Assert.Equal("host1:myapp:8080", instance.Metadata["eureka.instanceId"]);
        Assert.Equal("host1", instance.Metadata["eureka.hostName"]);
        Assert.Equal("MyApp", instance.Metadata["eureka.vipAddress"]);
        Assert.Equal("100", instance.Metadata["weight"]);
    }

    [Fact]
    public async Task EurekaInstance_NativeDeregister_RemovesItFromEureka()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance());
        var native = Assert.Single((await client.ListAsync("myapp")).Instances);

        using var response = await client.DeleteAsync(Api.Instance("myapp", native.Id), Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await client.SendAsync(HttpMethod.Put, "/eureka/v2/apps/MYAPP/host1:myapp:8080"));
    }

    [Fact]
    public async Task EurekaEndpoints_AreNotInTheOpenApiDocument()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var document = await client.GetStringAsync("/swagger/v1/swagger.yaml", Ct);

        Assert.DoesNotContain("/eureka", document, StringComparison.Ordinal);
    }
}
