using System.Net;
using System.Text.Json.Nodes;

namespace Registry.Server.Tests.Compat.Eureka;

public sealed class ReadTests
{
    private static async Task<(RegistryApp App, HttpClient Client)> TwoAppsAsync()
    {
        var app = new RegistryApp();
        var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance());
        await client.RegisteredAsync(EurekaApi.Instance(instanceId: "host2:myapp:8080", ip: "10.0.0.6"));
        await client.RegisteredAsync(EurekaApi.Instance(app: "billing", instanceId: "b1", ip: "10.0.1.1", status: "STARTING"));
        return (app, client);
    }

    [Fact]
    public async Task Applications_AcceptJson_ListsEveryAppWithArraysAndTheHashcode()
    {
        var (app, client) = await TwoAppsAsync();
        await using var _ = app;
        using var __ = client;

        var document = await client.GetJsonAsync("/eureka/v2/apps");

        var applications = document["applications"]!;
        Assert.Equal("STARTING_1_UP_2_", applications["apps__hashcode"].Text());
        Assert.False(string.IsNullOrEmpty(applications["versions__delta"].Text()));
        var apps = applications["application"]!.AsArray();
        Assert.Equal(["BILLING", "MYAPP"], apps.Select(a => a!["name"].Text()));
        Assert.All(apps, a => Assert.IsType<JsonArray>(a!["instance"]));
        Assert.Single(apps[0]!["instance"]!.AsArray());
        Assert.Equal(2, apps[1]!["instance"]!.AsArray().Count);
    }

    [Fact]
    public async Task Applications_AcceptXml_UsesTheSameElementNamesWithAttributes()
    {
        var (app, client) = await TwoAppsAsync();
        await using var _ = app;
        using var __ = client;

        var document = await client.GetXmlAsync("/eureka/v2/apps");

        var root = document.Root!;
        Assert.Equal("applications", root.Name.LocalName);
        Assert.Equal("STARTING_1_UP_2_", root.Element("apps__hashcode")!.Value);
        var instance = root.Elements("application").Single(a => a.Element("name")!.Value == "MYAPP").Elements("instance").First();
        Assert.Equal("true", instance.Element("port")!.Attribute("enabled")!.Value);
        Assert.Equal("8080", instance.Element("port")!.Value);
        Assert.Equal("com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", instance.Element("dataCenterInfo")!.Attribute("class")!.Value);
        Assert.Equal("MyOwn", instance.Element("dataCenterInfo")!.Element("name")!.Value);
        Assert.Equal("100", instance.Element("metadata")!.Element("weight")!.Value);
    }

    [Theory]
    [InlineData("/eureka/v2/apps/")]
    [InlineData("/eureka/apps/")]
    [InlineData("/eureka/apps")]
    public async Task Applications_TrailingSlashOrSpringPrefix_AreServed(string path)
    {
        var (app, client) = await TwoAppsAsync();
        await using var _ = app;
        using var __ = client;

        Assert.Equal(3, EurekaApi.Instances(await client.GetJsonAsync(path)).Count);
    }

    [Fact]
    public async Task Application_OneApp_ListsItsInstances_CaseInsensitive()
    {
        var (app, client) = await TwoAppsAsync();
        await using var _ = app;
        using var __ = client;

        var document = await client.GetJsonAsync("/eureka/v2/apps/myApp");

        Assert.Equal("MYAPP", document["application"]!["name"].Text());
        Assert.Equal(2, document["application"]!["instance"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.NotFound, await client.SendAsync(HttpMethod.Get, "/eureka/v2/apps/NOSUCHAPP"));
    }

    [Fact]
    public async Task Instance_ByAppAndId_And_ByIdAlone_ReturnTheInstance()
    {
        var (app, client) = await TwoAppsAsync();
        await using var _ = app;
        using var __ = client;

        var byApp = await client.GetJsonAsync("/eureka/v2/apps/BILLING/b1");
        var byId = await client.GetJsonAsync("/eureka/v2/instances/b1");

        Assert.Equal("b1", byApp["instance"]!["instanceId"].Text());
        Assert.Equal("STARTING", byApp["instance"]!["status"].Text());
        Assert.Equal("BILLING", byId["instance"]!["app"].Text());
        Assert.Equal(HttpStatusCode.NotFound, await client.SendAsync(HttpMethod.Get, "/eureka/v2/instances/nobody"));
        Assert.Equal(HttpStatusCode.NotFound, await client.SendAsync(HttpMethod.Get, "/eureka/v2/apps/MYAPP/b1"));
    }

    [Fact]
    public async Task Applications_EmptyRegistry_StillEmitsAnApplicationArray()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var document = await client.GetJsonAsync("/eureka/v2/apps/");

        Assert.IsType<JsonArray>(document["applications"]!["application"]);
        Assert.Equal("", document["applications"]!["apps__hashcode"].Text());
    }
}
