using System.Net;
using System.Net.Http.Json;
using Registry.Contracts.Naming;
using Registry.Server.Naming;

namespace Registry.Server.Tests.Naming;

public sealed class PickInstanceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pick_NeverReturnsWeightZeroDisabledOrUnhealthyInstances()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var good = await client.RegisterAsync("orders", "10.0.0.1");
        var zero = await client.RegisterAsync("orders", new { ip = "10.0.0.2", port = 8080, weight = 0 });
        var disabled = await client.RegisterAsync("orders", new { ip = "10.0.0.3", port = 8080, enabled = false });
        await client.RegisterAsync("orders", "10.0.0.4");
        app.Time.Advance(TimeSpan.FromSeconds(16));
        foreach (var id in new[] { good.Id, zero.Id, disabled.Id })
        {
            await client.BeatAsync("orders", id);
        }

        await app.Service<HeartbeatSweeper>().SweepAsync(Ct);

        for (var i = 0; i < 200; i++)
        {
            Assert.Equal("10.0.0.1", (await PickAsync(client, "orders")).Ip);
        }
    }

    [Fact]
    public async Task Pick_ManyTimes_FollowsTheWeights()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80, weight = 1 });
        await client.RegisterAsync("orders", new { ip = "10.0.0.2", port = 80, weight = 3 });

        var picks = new Dictionary<string, int>();
        for (var i = 0; i < 4000; i++)
        {
            var ip = (await PickAsync(client, "orders")).Ip;
            picks[ip] = picks.GetValueOrDefault(ip) + 1;
        }

        // Expected 1000 : 3000; a binomial standard deviation is ~27, so ±150 is over 5 sigma.
        Assert.InRange(picks["10.0.0.1"], 850, 1150);
        Assert.InRange(picks["10.0.0.2"], 2850, 3150);
    }

    [Fact]
    public async Task Pick_ClusterFilter_PicksOnlyFromThoseClusters()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80, cluster = "a" });
        await client.RegisterAsync("orders", new { ip = "10.0.0.2", port = 80, cluster = "b" });

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("10.0.0.2", (await client.GetFromJsonAsync<InstanceInfo>(Api.Instances("orders") + "/pick?cluster=b", Ct))!.Ip);
        }
    }

    [Fact]
    public async Task Pick_NoUsableInstance_Returns404Problem()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80, weight = 0 });

        using var zeroOnly = await client.GetAsync(Api.Instances("orders") + "/pick", Ct);
        using var unknown = await client.GetAsync(Api.Instances("nobody") + "/pick", Ct);

        Assert.Equal("no-instance-available", (await zeroOnly.ProblemAsync(HttpStatusCode.NotFound)).Code());
        Assert.Equal("no-instance-available", (await unknown.ProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Fact]
    public async Task Pick_BadCluster_Returns400()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(Api.Instances("orders") + "/pick?cluster=%20%2F", Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("cluster"));
    }

    private static async Task<InstanceInfo> PickAsync(HttpClient client, string service) =>
        (await client.GetFromJsonAsync<InstanceInfo>(Api.Instances(service) + "/pick", Ct))!;
}
