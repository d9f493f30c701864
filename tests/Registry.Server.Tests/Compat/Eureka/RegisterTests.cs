using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Registry.Server.Tests;

namespace Registry.Server.Tests.Compat.Eureka;

public sealed class RegisterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Register_JsonBody_Returns204AndTheInstanceIsListedUnderTheUppercasedApp()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.RegisterAsync(EurekaApi.Instance());

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var instance = (await client.GetJsonAsync("/eureka/v2/apps/MYAPP/host1:myapp:8080"))["instance"]!;
        Assert.Equal("host1:myapp:8080", instance["instanceId"].Text());
        Assert.Equal("MYAPP", instance["app"].Text());
        Assert.Equal("host1", instance["hostName"].Text());
        Assert.Equal("10.0.0.5", instance["ipAddr"].Text());
        Assert.Equal("UP", instance["status"].Text());
        Assert.Equal(8080, (int)instance["port"]!["$"]!);
        Assert.Equal("true", instance["port"]!["@enabled"].Text());
        Assert.Equal(8443, (int)instance["securePort"]!["$"]!);
        Assert.Equal("false", instance["securePort"]!["@enabled"].Text());
        Assert.Equal("MyOwn", instance["dataCenterInfo"]!["name"].Text());
        Assert.Equal("com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", instance["dataCenterInfo"]!["@class"].Text());
        Assert.Equal("myapp", instance["vipAddress"].Text());
        Assert.Equal("http://host1:8080/health", instance["healthCheckUrl"].Text());
        Assert.Equal("100", instance["metadata"]!["weight"].Text());
        Assert.Null(instance["metadata"]!["eureka.instanceId"]);
        Assert.Equal(30, (int)instance["leaseInfo"]!["renewalIntervalInSecs"]!);
        Assert.Equal(90, (int)instance["leaseInfo"]!["durationInSecs"]!);
    }

    [Fact]
    public async Task Register_XmlBody_Returns204AndReadsPortAttributesAndDataCenterClass()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        using var content = new StringContent(EurekaApi.Xml(port: 9090), Encoding.UTF8, "application/xml");

        using var response = await client.PostAsync("/eureka/v2/apps/MYAPP", content, Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var instance = (await client.GetJsonAsync("/eureka/v2/apps/MYAPP/host1:myapp:8080"))["instance"]!;
        Assert.Equal(9090, (int)instance["port"]!["$"]!);
        Assert.Equal("a", instance["metadata"]!["zone"].Text());
        Assert.Equal("com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", instance["dataCenterInfo"]!["@class"].Text());
    }

    [Theory]
    [InlineData("8080")]
    [InlineData("\"8080\"")]
    [InlineData("{\"$\":\"8080\",\"@enabled\":\"true\"}")]
    [InlineData("{\"$\":8080}")]
    public async Task Register_PortAsNumberStringOrObject_IsAccepted(string port)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var body = EurekaApi.Instance();
        body["instance"]!["port"] = JsonNode.Parse(port);

        await client.RegisteredAsync(body);

        var instance = (await client.GetJsonAsync("/eureka/v2/apps/MYAPP/host1:myapp:8080"))["instance"]!;
        Assert.Equal(8080, (int)instance["port"]!["$"]!);
    }

    [Fact]
    public async Task Register_WithoutInstanceId_IsKnownByItsHostName()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var body = EurekaApi.Instance();
        body["instance"]!.AsObject().Remove("instanceId");

        using var response = await client.RegisterAsync(body, app: "MYAPP");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var instance = (await client.GetJsonAsync("/eureka/v2/apps/MYAPP/host1"))["instance"]!;
        Assert.Equal("host1", instance["instanceId"].Text());
        Assert.Equal(HttpStatusCode.OK, await client.SendAsync(HttpMethod.Put, "/eureka/v2/apps/MYAPP/host1"));
    }

    [Theory]
    [InlineData("hostName")]
    [InlineData("ipAddr")]
    [InlineData("app")]
    [InlineData("dataCenterInfo")]
    public async Task Register_MissingRequiredField_Returns400NamingIt(string field)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var body = EurekaApi.Instance();
        body["instance"]!.AsObject().Remove(field);

        using var response = await client.RegisterAsync(body, app: "MYAPP");

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.Errors(field));
        Assert.Empty((await client.ListAsync("myapp")).Instances);
    }

    [Fact]
    public async Task Register_AppNameMismatch_Returns400()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.RegisterAsync(EurekaApi.Instance(app: "other"), app: "MYAPP");

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("app"));
    }

    [Theory]
    [InlineData("application/json", "{\"instance\":{")]
    [InlineData("application/xml", "<instance><app>MYAPP</app>")]
    [InlineData("application/json", "[1,2]")]
    [InlineData("application/json", "{\"instance\":{\"instanceId\":\"i\",\"hostName\":\"h\",\"app\":\"MYAPP\",\"ipAddr\":\"10.0.0.1\",\"dataCenterInfo\":{},\"port\":{\"$\":\"eighty\"}}}")]
    [InlineData("application/json", "{\"instance\":{\"instanceId\":\"i\",\"hostName\":\"h\",\"app\":\"MYAPP\",\"ipAddr\":\"10.0.0.1\",\"dataCenterInfo\":{},\"port\":{\"$\":8080,\"@enabled\":\"yes\"}}}")]
    [InlineData("application/json", "{\"instance\":{\"app\":\"MYAPP\",\"app\":\"OTHER\",\"port\":8080}}")]
    [InlineData("application/json", "{\"instance\":{\"app\":\"MYAPP\",\"ipAddr\":\"10.0.0.1\",\"metadata\":{\"a\":\"1\",\"a\":\"2\"},\"port\":8080}}")]
    [InlineData("application/json", "{\"instance\":{\"instanceId\":{\"nested\":1}}}")]
    [InlineData("application/xml", "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><instance><app>&a;</app></instance>")]
    public async Task Register_MalformedBody_Returns400AndChangesNothing(string contentType, string body)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance());
        using var content = new StringContent(body, Encoding.UTF8, contentType);

        using var response = await client.PostAsync("/eureka/v2/apps/MYAPP", content, Ct);

        Assert.Equal("malformed-body", (await response.ProblemAsync(HttpStatusCode.BadRequest)).Code());
        var instance = Assert.Single((await client.ListAsync("myapp")).Instances);
        Assert.Equal(8080, instance.Port);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(70000)]
    public async Task Register_PortOutOfRange_Returns400FromTheNativeRules(int port)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.RegisterAsync(EurekaApi.Instance(port: port));

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("port"));
    }

    [Fact]
    public async Task Register_SameInstanceIdAtNewAddress_MovesTheInstance()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance(ip: "10.0.0.5"));

        await client.RegisteredAsync(EurekaApi.Instance(ip: "10.0.0.6"));

        Assert.Equal("10.0.0.6", Assert.Single((await client.ListAsync("myapp")).Instances).Ip);
    }

    [Fact]
    public async Task Register_TwoInstanceIdsAtOneAddress_KeepsBothAndEachRenews()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance(instanceId: "a:myapp:8080"));

        await client.RegisteredAsync(EurekaApi.Instance(instanceId: "b:myapp:8080"));

        var instances = (await client.ListAsync("myapp")).Instances;
        Assert.Equal(["10.0.0.5#8080#DEFAULT", "10.0.0.5#8080#b:myapp:8080"], instances.Select(i => i.Id).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.OK, await client.SendAsync(HttpMethod.Put, "/eureka/v2/apps/MYAPP/a:myapp:8080"));
        Assert.Equal(HttpStatusCode.OK, await client.SendAsync(HttpMethod.Put, "/eureka/v2/apps/MYAPP/b:myapp:8080"));
        Assert.Equal(2, EurekaApi.Instances(await client.GetJsonAsync("/eureka/v2/apps")).Count);
    }

    [Fact]
    public async Task Register_AgainAtAnAddressItShares_StaysWhereItIs()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance(instanceId: "a"));
        await client.RegisteredAsync(EurekaApi.Instance(instanceId: "b"));
        Assert.Equal(HttpStatusCode.OK, await client.SendAsync(HttpMethod.Delete, "/eureka/v2/apps/MYAPP/a"));

        await client.RegisteredAsync(EurekaApi.Instance(instanceId: "b", status: "DOWN"));

        var instance = Assert.Single((await client.ListAsync("myapp")).Instances);
        Assert.Equal("10.0.0.5#8080#b", instance.Id);
        Assert.Equal("DOWN", instance.Metadata["eureka.status"]);
    }

    [Fact]
    public async Task Register_SharedAddressAndAnIdThatIsNoClusterName_TakesAClusterNamedByItsHash()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance(instanceId: "a"));

        await client.RegisteredAsync(EurekaApi.Instance(instanceId: "host 1:myapp"));

        var second = Assert.Single((await client.ListAsync("myapp")).Instances, i => i.Cluster != "DEFAULT");
        Assert.Matches("^eureka-[0-9a-f]{16}$", second.Cluster);
        Assert.Equal(HttpStatusCode.OK, await client.SendAsync(HttpMethod.Put, "/eureka/v2/apps/MYAPP/host%201:myapp"));
    }
}
