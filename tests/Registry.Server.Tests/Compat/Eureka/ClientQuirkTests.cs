using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Registry.Server.Tests.Compat.Eureka;

/// <summary>What eureka-js-client and Spring Cloud Netflix rely on, one test per behaviour.</summary>
public sealed class ClientQuirkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EurekaJs_Register_LowercaseAppInPathAndServicePathWithSlash_Returns204Exactly()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var body = EurekaApi.Instance();
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");

        // servicePath '/eureka/v2/apps/' joined with the app as configured: lowercase.
        using var response = await client.PostAsync("/eureka/v2/apps/myapp", content, Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task EurekaJs_Renew_WithoutQueryString_Returns200()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance());

        Assert.Equal(HttpStatusCode.OK, await client.SendAsync(HttpMethod.Put, "/eureka/v2/apps/myapp/host1:myapp:8080"));
    }

    [Fact]
    public async Task EurekaJs_RenewAfterEviction_Returns404_ThenReRegisterAndRenewSucceed()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance());
        app.Time.Advance(TimeSpan.FromSeconds(181));
        await app.Service<Registry.Server.Naming.HeartbeatSweeper>().SweepAsync(Ct);

        Assert.Equal(HttpStatusCode.NotFound, await client.SendAsync(HttpMethod.Put, "/eureka/v2/apps/myapp/host1:myapp:8080"));

        await client.RegisteredAsync(EurekaApi.Instance());
        Assert.Equal(HttpStatusCode.OK, await client.SendAsync(HttpMethod.Put, "/eureka/v2/apps/myapp/host1:myapp:8080"));
        Assert.Equal("UP", EurekaApi.Instances(await client.GetJsonAsync("/eureka/v2/apps/"))[0]["status"].Text());
    }

    [Fact]
    public async Task EurekaJs_PortEnabled_IsTheStringTrueOrFalse_NeverABoolean()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance());

        var instance = EurekaApi.Instances(await client.GetJsonAsync("/eureka/v2/apps/"))[0];

        Assert.Equal(System.Text.Json.JsonValueKind.String, instance["port"]!["@enabled"]!.GetValueKind());
        Assert.Equal(System.Text.Json.JsonValueKind.String, instance["securePort"]!["@enabled"]!.GetValueKind());
        Assert.Equal("false", instance["securePort"]!["@enabled"].Text());
    }

    [Fact]
    public async Task EurekaJs_SingleAppWithSingleInstance_IsStillEmittedAsArrays()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance());

        var document = await client.GetJsonAsync("/eureka/v2/apps/");

        var apps = Assert.IsType<JsonArray>(document["applications"]!["application"]);
        Assert.IsType<JsonArray>(Assert.Single(apps)!["instance"]);
        Assert.IsType<JsonArray>((await client.GetJsonAsync("/eureka/v2/apps/MYAPP"))["application"]!["instance"]);
    }

    [Fact]
    public async Task EurekaJs_Deregister_Returns200()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance());

        Assert.Equal(HttpStatusCode.OK, await client.SendAsync(HttpMethod.Delete, "/eureka/v2/apps/myapp/host1:myapp:8080"));
    }

    [Fact]
    public async Task SpringCloud_WithoutV2Prefix_RegistersRenewsReadsAndCancels()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        await client.RegisteredAsync(EurekaApi.Instance(), EurekaApi.Spring);

        Assert.Equal(HttpStatusCode.OK, await client.SendAsync(HttpMethod.Put, "/eureka/apps/MYAPP/host1:myapp:8080?status=UP&lastDirtyTimestamp=1700000000000"));
        Assert.Single(EurekaApi.Instances(await client.GetJsonAsync("/eureka/apps/")));
        Assert.Equal("MYAPP", (await client.GetJsonAsync("/eureka/apps/MYAPP"))["application"]!["name"].Text());
        Assert.Equal(HttpStatusCode.OK, await client.SendAsync(HttpMethod.Delete, "/eureka/apps/MYAPP/host1:myapp:8080"));
        Assert.Empty(EurekaApi.Instances(await client.GetJsonAsync("/eureka/apps/")));
    }
}
