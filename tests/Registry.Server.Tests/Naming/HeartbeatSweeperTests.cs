using System.Net;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Naming;
using Registry.Server.Tests.Storage;

namespace Registry.Server.Tests.Naming;

public sealed class HeartbeatSweeperTests
{
    /// <summary>The sweeper's own timer stays out of the way of the sweeps a test runs.</summary>
    private static readonly Dictionary<string, string?> OnlyExplicitSweeps = new() { ["Registry:Naming:SweepInterval"] = "00:01:00" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sweep_NoBeatForUnhealthyAfter_MarksUnhealthyButKeepsItListed()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var instance = await client.RegisterAsync("orders", "10.0.0.1");
        var sweeper = app.Service<HeartbeatSweeper>();

        app.Time.Advance(TimeSpan.FromSeconds(15));
        await sweeper.SweepAsync(Ct);
        Assert.True(Assert.Single((await client.ListAsync("orders")).Instances).Healthy);

        app.Time.Advance(TimeSpan.FromSeconds(1));
        await sweeper.SweepAsync(Ct);
        var suspect = Assert.Single((await client.ListAsync("orders")).Instances);
        Assert.False(suspect.Healthy);
        Assert.True(suspect.Revision > instance.Revision);
        Assert.Empty((await client.ListAsync("orders", "healthyOnly=true")).Instances);
    }

    [Fact]
    public async Task Sweep_NoBeatForEvictAfter_EvictsTheInstance()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", "10.0.0.1");
        var sweeper = app.Service<HeartbeatSweeper>();

        app.Time.Advance(TimeSpan.FromSeconds(30));
        await sweeper.SweepAsync(Ct);
        Assert.Single((await client.ListAsync("orders")).Instances);

        app.Time.Advance(TimeSpan.FromSeconds(1));
        await sweeper.SweepAsync(Ct);
        var list = await client.ListAsync("orders");
        Assert.Empty(list.Instances);
        Assert.True(list.Revision > 0);
    }

    [Fact]
    public async Task Sweep_InstanceLeaseOverrides_AreHonoured()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80, heartbeatIntervalMs = 1000, unhealthyAfterMs = 3000, evictAfterMs = 10000 });
        await client.RegisterAsync("orders", "10.0.0.2");
        var sweeper = app.Service<HeartbeatSweeper>();

        app.Time.Advance(TimeSpan.FromMilliseconds(3001));
        await sweeper.SweepAsync(Ct);
        Assert.Equal([false, true], (await client.ListAsync("orders")).Instances.Select(i => i.Healthy));

        app.Time.Advance(TimeSpan.FromMilliseconds(7000));
        await sweeper.SweepAsync(Ct);
        Assert.Equal(["10.0.0.2"], (await client.ListAsync("orders")).Instances.Select(i => i.Ip));
    }

    [Fact]
    public async Task Sweep_ChangedServerDefaults_ApplyToInstancesWithoutOverrides()
    {
        await using var app = new RegistryApp(settings: new Dictionary<string, string?>
        {
            ["Registry:Naming:HeartbeatInterval"] = "00:00:02",
            ["Registry:Naming:UnhealthyAfter"] = "00:00:06",
            ["Registry:Naming:EvictAfter"] = "00:00:12",
        });
        using var client = app.CreateClient();
        var instance = await client.RegisterAsync("orders", "10.0.0.1");
        Assert.Equal((2000, 6000, 12000), (instance.HeartbeatIntervalMs, instance.UnhealthyAfterMs, instance.EvictAfterMs));

        app.Time.Advance(TimeSpan.FromSeconds(13));
        await app.Service<HeartbeatSweeper>().SweepAsync(Ct);

        Assert.Empty((await client.ListAsync("orders")).Instances);
    }

    [Fact]
    public async Task Sweep_PersistentInstance_IsNeverMarkedOrEvicted()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80, ephemeral = false });

        app.Time.Advance(TimeSpan.FromDays(3));
        await app.Service<HeartbeatSweeper>().SweepAsync(Ct);

        Assert.True(Assert.Single((await client.ListAsync("orders")).Instances).Healthy);
    }

    [Fact]
    public async Task Sweep_EachChange_TakesItsOwnIncreasingRevision()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", "10.0.0.1");
        var last = await client.RegisterAsync("orders", "10.0.0.2");
        var sweeper = app.Service<HeartbeatSweeper>();

        app.Time.Advance(TimeSpan.FromSeconds(16));
        await sweeper.SweepAsync(Ct);

        var revisions = (await client.ListAsync("orders")).Instances.Select(i => i.Revision).ToArray();
        Assert.Equal(2, revisions.Distinct().Count());
        Assert.All(revisions, r => Assert.True(r > last.Revision));
    }

    [Fact]
    public async Task Sweeper_OnItsOwnTimer_EvictsOnceTheClockPassesTheLease()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", "10.0.0.1");

        // The timer fires on the fake clock; the sweep it starts runs in the background, so wait for its effect.
        for (var i = 0; i < 31; i++)
        {
            app.Time.Advance(TimeSpan.FromSeconds(1));
        }

        await Eventually.TrueAsync(async () =>
        {
            app.Time.Advance(TimeSpan.FromSeconds(1));
            return (await client.ListAsync("orders")).Instances.Count == 0;
        }, "evicted");
    }

    [Fact]
    public async Task Beat_WhileTheEvictionIsOnItsWayToTheLog_WaitsForItAndFindsTheInstanceGone()
    {
        using var disk = new FlakyDisk();
        await using var app = new RegistryApp(faults: disk, settings: OnlyExplicitSweeps);
        using var client = app.CreateClient();
        var instance = await client.RegisterAsync("orders", "10.0.0.1");
        app.Time.Advance(TimeSpan.FromSeconds(31));
        disk.Hold();

        var sweep = app.Service<HeartbeatSweeper>().SweepAsync(Ct);
        await EvictionTakenInAsync(app, instance.Id);
        var beat = client.BeatAsync("orders", instance.Id);
        disk.Answer();
        await sweep;

        // Acknowledging the beat would have renewed a lease the log was about to end.
        Assert.Equal(HttpStatusCode.NotFound, await beat);
        Assert.Empty((await client.ListAsync("orders")).Instances);
    }

    [Fact]
    public async Task Beat_WhileARefusedEvictionIsOnItsWayToTheLog_RenewsTheLeaseOnceItIsRefused()
    {
        using var disk = new FlakyDisk();
        await using var app = new RegistryApp(faults: disk, settings: OnlyExplicitSweeps);
        using var client = app.CreateClient();
        var instance = await client.RegisterAsync("orders", "10.0.0.1");
        app.Time.Advance(TimeSpan.FromSeconds(31));
        disk.Hold();

        var sweep = app.Service<HeartbeatSweeper>().SweepAsync(Ct);
        await EvictionTakenInAsync(app, instance.Id);
        var beat = client.BeatAsync("orders", instance.Id);
        disk.Failing = true;
        disk.Answer();
        await Assert.ThrowsAsync<StoreUnavailableException>(() => sweep);
        disk.Failing = false;

        Assert.Equal(HttpStatusCode.OK, await beat);
        await app.Service<HeartbeatSweeper>().SweepAsync(Ct);
        Assert.True(Assert.Single((await client.ListAsync("orders")).Instances).Healthy);
    }

    /// <summary>The log has taken the eviction in: it waits on the held disk, and beats on the instance wait on it.</summary>
    private static Task EvictionTakenInAsync(RegistryApp app, string id)
    {
        var key = NamingChanges.Key(new ServiceKey(NameRules.DefaultNamespace, NameRules.DefaultGroup, "orders"), id);
        return Eventually.TrueAsync(() => app.Service<IChangeLog>().Pending(key) is not null, "taken in by the log");
    }
}
