using System.Net;
using System.Net.Http.Json;
using Registry.Server.Naming;

namespace Registry.Server.Tests.Naming;

public sealed class ListInstancesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_UnknownService_Returns200WithNoInstances()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var list = await client.ListAsync("nobody");

        Assert.Empty(list.Instances);
        Assert.Equal((0, false, "nobody"), (list.Revision, list.ProtectThresholdReached, list.Service));
    }

    [Fact]
    public async Task List_Instances_AreOrderedByIdAndCarryTheServiceRevision()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", "10.0.0.2");
        var last = await client.RegisterAsync("orders", "10.0.0.1");

        var list = await client.ListAsync("orders");

        Assert.Equal(["10.0.0.1", "10.0.0.2"], list.Instances.Select(i => i.Ip));
        Assert.Equal(last.Revision, list.Revision);
    }

    [Fact]
    public async Task List_HealthyOnly_LeavesOutUnhealthyAndDisabledInstances()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var beating = await client.RegisterAsync("orders", "10.0.0.1");
        var disabled = await client.RegisterAsync("orders", new { ip = "10.0.0.2", port = 8080, enabled = false });
        await client.RegisterAsync("orders", "10.0.0.3");
        app.Time.Advance(TimeSpan.FromSeconds(16));
        await client.BeatAsync("orders", beating.Id);
        await client.BeatAsync("orders", disabled.Id);
        await app.Service<HeartbeatSweeper>().SweepAsync(Ct);

        var healthy = await client.ListAsync("orders", "healthyOnly=true");
        var all = await client.ListAsync("orders");

        Assert.Equal(["10.0.0.1"], healthy.Instances.Select(i => i.Ip));
        Assert.Equal([true, true, false], all.Instances.Select(i => i.Healthy));
    }

    [Fact]
    public async Task List_ClusterFilter_TakesACommaSeparatedList()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80, cluster = "a" });
        await client.RegisterAsync("orders", new { ip = "10.0.0.2", port = 80, cluster = "b" });
        await client.RegisterAsync("orders", new { ip = "10.0.0.3", port = 80, cluster = "c" });

        Assert.Equal(["10.0.0.1", "10.0.0.3"], (await client.ListAsync("orders", "cluster=a,c")).Instances.Select(i => i.Ip));
        Assert.Equal(["10.0.0.2"], (await client.ListAsync("orders", "cluster=b")).Instances.Select(i => i.Ip));
        Assert.Empty((await client.ListAsync("orders", "cluster=DEFAULT")).Instances);
    }

    [Fact]
    public async Task List_HealthyShareAtOrBelowProtectThreshold_ReturnsEveryEnabledInstanceAndSaysSo()
    {
        // Only the sweep this test runs, not one the sweeper's timer starts as the clock is advanced.
        await using var app = new RegistryApp(settings: new Dictionary<string, string?> { ["Registry:Naming:SweepInterval"] = "00:01:00" });
        using var client = app.CreateClient();
        (await client.PutAsJsonAsync("/v1/services/orders", new { protectThreshold = 0.5 }, Ct)).EnsureSuccessStatusCode();
        var beating = await client.RegisterAsync("orders", "10.0.0.1");
        await client.RegisterAsync("orders", "10.0.0.2");
        await client.RegisterAsync("orders", "10.0.0.3");
        await client.RegisterAsync("orders", new { ip = "10.0.0.4", port = 8080, enabled = false });
        app.Time.Advance(TimeSpan.FromSeconds(16));
        Assert.Equal(HttpStatusCode.OK, await client.BeatAsync("orders", beating.Id));
        await app.Service<HeartbeatSweeper>().SweepAsync(Ct);

        var list = await client.ListAsync("orders", "healthyOnly=true");

        Assert.True(list.ProtectThresholdReached);
        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], list.Instances.Select(i => i.Ip));
        Assert.Equal([true, false, false], list.Instances.Select(i => i.Healthy));
    }

    [Fact]
    public async Task List_HealthyShareAboveProtectThreshold_ReturnsOnlyHealthyOnes()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        (await client.PutAsJsonAsync("/v1/services/orders", new { protectThreshold = 0.3 }, Ct)).EnsureSuccessStatusCode();
        var a = await client.RegisterAsync("orders", "10.0.0.1");
        var b = await client.RegisterAsync("orders", "10.0.0.2");
        await client.RegisterAsync("orders", "10.0.0.3");
        app.Time.Advance(TimeSpan.FromSeconds(16));
        await client.BeatAsync("orders", a.Id);
        await client.BeatAsync("orders", b.Id);
        await app.Service<HeartbeatSweeper>().SweepAsync(Ct);

        var list = await client.ListAsync("orders", "healthyOnly=true");

        Assert.False(list.ProtectThresholdReached);
        Assert.Equal(["10.0.0.1", "10.0.0.2"], list.Instances.Select(i => i.Ip));
    }

    [Fact]
    public async Task List_ProtectThresholdZero_IsOffEvenWhenNoInstanceIsHealthy()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", "10.0.0.1");
        app.Time.Advance(TimeSpan.FromSeconds(16));
        await app.Service<HeartbeatSweeper>().SweepAsync(Ct);

        var list = await client.ListAsync("orders", "healthyOnly=true");

        Assert.False(list.ProtectThresholdReached);
        Assert.Empty(list.Instances);
    }

    [Theory]
    [InlineData("cluster=a%20b", "cluster")]
    [InlineData("cluster=ok,bad%23name", "cluster")]
    [InlineData("namespace=bad%2Fns", "namespace")]
    public async Task List_BadFilter_Returns400NamingIt(string query, string field)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(Api.Instances("orders", query), Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors(field));
    }

    [Fact]
    public async Task List_HealthyOnlyNotABoolean_Returns400Problem()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(Api.Instances("orders", "healthyOnly=maybe"), Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("healthyOnly", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
