using System.Net.Http.Json;

namespace Registry.Server.Tests.Compat.Eureka;

public sealed class DeltaTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Actions(System.Text.Json.Nodes.JsonObject delta) =>
        EurekaApi.Instances(delta).ToDictionary(i => i["instanceId"].Text(), i => i["actionType"].Text());

    [Fact]
    public async Task Delta_AfterRegisterModifyAndCancel_CarriesAddedModifiedDeleted()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        // Leases longer than the wait, so the sweeper leaves them alone.
        await client.RegisteredAsync(EurekaApi.Instance(instanceId: "a", ip: "10.0.0.1", renewal: 60, duration: 600));
        await client.RegisteredAsync(EurekaApi.Instance(instanceId: "b", ip: "10.0.0.2", renewal: 60, duration: 600));
        app.Time.Advance(TimeSpan.FromMinutes(4));
        await client.RegisteredAsync(EurekaApi.Instance(instanceId: "c", ip: "10.0.0.3"));
        await client.SendAsync(HttpMethod.Put, "/eureka/v2/apps/MYAPP/a/status?value=OUT_OF_SERVICE");
        await client.SendAsync(HttpMethod.Delete, "/eureka/v2/apps/MYAPP/b");

        var delta = await client.GetJsonAsync("/eureka/v2/apps/delta");

        Assert.Equal(new Dictionary<string, string> { ["c"] = "ADDED", ["a"] = "MODIFIED", ["b"] = "DELETED" }, Actions(delta));
        Assert.Equal("OUT_OF_SERVICE_1_UP_1_", delta["applications"]!["apps__hashcode"].Text());
    }

    [Fact]
    public async Task Delta_StatusChangeOfAnInstanceAddedWithinTheWindow_IsModifiedInItsNewState()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance(instanceId: "a", ip: "10.0.0.1"));
        await client.SendAsync(HttpMethod.Put, "/eureka/v2/apps/MYAPP/a/status?value=OUT_OF_SERVICE");

        var instance = Assert.Single(EurekaApi.Instances(await client.GetJsonAsync("/eureka/v2/apps/delta")));

        // eureka-js-client ignores an ADDED for an instance it holds: it would keep routing to it.
        Assert.Equal("MODIFIED", instance["actionType"].Text());
        Assert.Equal("OUT_OF_SERVICE", instance["status"].Text());
    }

    [Fact]
    public async Task Delta_ChangesOlderThanThreeMinutes_AreDropped()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance(instanceId: "a", ip: "10.0.0.1", renewal: 60, duration: 600));
        Assert.Single(EurekaApi.Instances(await client.GetJsonAsync("/eureka/v2/apps/delta")));

        app.Time.Advance(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(1));

        Assert.Empty(EurekaApi.Instances(await client.GetJsonAsync("/eureka/apps/delta")));
    }

    [Fact]
    public async Task Delta_NativeChanges_AreIncludedToo()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var native = await client.RegisterAsync("orders", "10.0.0.9");
        using var patch = await client.PatchAsJsonAsync(Api.Instance("orders", native.Id), new { enabled = false }, Ct);

        var delta = await client.GetJsonAsync("/eureka/v2/apps/delta");

        var instance = Assert.Single(EurekaApi.Instances(delta));
        Assert.Equal("ORDERS", instance["app"].Text());
        Assert.Equal("MODIFIED", instance["actionType"].Text());
        Assert.Equal("OUT_OF_SERVICE", instance["status"].Text());
    }

    [Fact]
    public async Task Delta_AfterTheQueueFellBehindTheFeed_StillAnswersWithTheCurrentHashcode()
    {
        await using var app = new RegistryApp(settings: new Dictionary<string, string?> { ["Registry:Events:SubscriberBuffer"] = "1" });
        using var client = app.CreateClient();

        for (var i = 1; i <= 20; i++)
        {
            await client.RegisteredAsync(EurekaApi.Instance(instanceId: $"i{i}", ip: $"10.0.0.{i}"));
        }

        var delta = await client.GetJsonAsync("/eureka/v2/apps/delta");

        Assert.Equal("UP_20_", delta["applications"]!["apps__hashcode"].Text());
        Assert.All(EurekaApi.Instances(delta), i => Assert.Equal("ADDED", i["actionType"].Text()));
    }
}
