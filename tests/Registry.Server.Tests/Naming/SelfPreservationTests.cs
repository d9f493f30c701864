using System.Net;
using System.Text.Json;
using Registry.Contracts.Naming;
using Registry.Server.Naming;

namespace Registry.Server.Tests.Naming;

public sealed class SelfPreservationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sweep_MassExpiryAboveTheThreshold_HoldsEvictionsAndReportsIt()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var instances = await RegisterManyAsync(client, 20);

        await ExpireAllButAsync(app, client, instances.Take(5));

        var list = await client.ListAsync("orders");
        Assert.Equal(20, list.Instances.Count);
        Assert.Equal(5, list.Instances.Count(i => i.Healthy));
        var ready = await ReadyAsync(client);
        Assert.Equal("Degraded", ready.GetProperty("status").GetString());
        var check = ready.GetProperty("checks").GetProperty("selfPreservation").GetProperty("data");
        Assert.True(check.GetProperty("active").GetBoolean());
        Assert.Equal(15, check.GetProperty("heldInstances").GetInt32());
    }

    [Fact]
    public async Task Sweep_BeatsReturnDuringSelfPreservation_EvictsOnlyTheDeadAndLeavesTheMode()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var instances = await RegisterManyAsync(client, 20);
        await ExpireAllButAsync(app, client, instances.Take(5));

        foreach (var instance in instances.Take(17))
        {
            await client.BeatAsync("orders", instance.Id);
        }

        await app.Service<HeartbeatSweeper>().SweepAsync(Ct);

        var list = await client.ListAsync("orders");
        Assert.Equal(17, list.Instances.Count);
        Assert.All(list.Instances, i => Assert.True(i.Healthy));
        Assert.Equal("Healthy", (await ReadyAsync(client)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Sweep_SelfPreservationLongerThanMaxHold_EvictsAfterAll()
    {
        await using var app = new RegistryApp(settings: new Dictionary<string, string?>
        {
            ["Registry:Naming:SelfPreservation:MaxHold"] = "00:02:00",
        });
        using var client = app.CreateClient();
        var instances = await RegisterManyAsync(client, 20);
        var sweeper = app.Service<HeartbeatSweeper>();
        await ExpireAllButAsync(app, client, instances.Take(5));

        Assert.True(app.Service<SelfPreservation>().State.Active);

        for (var elapsed = TimeSpan.Zero; elapsed <= TimeSpan.FromMinutes(2); elapsed += TimeSpan.FromSeconds(5))
        {
            app.Time.Advance(TimeSpan.FromSeconds(5));
            foreach (var instance in instances.Take(5))
            {
                await client.BeatAsync("orders", instance.Id);
            }

            await sweeper.SweepAsync(Ct);
        }

        Assert.Equal(5, (await client.ListAsync("orders")).Instances.Count);
        Assert.False(app.Service<SelfPreservation>().State.Active);
    }

    [Fact]
    public async Task Sweep_FewerInstancesThanTheMinimum_EvictsEvenWhenAllExpire()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await RegisterManyAsync(client, 9);

        app.Time.Advance(TimeSpan.FromSeconds(31));
        await app.Service<HeartbeatSweeper>().SweepAsync(Ct);

        Assert.Empty((await client.ListAsync("orders")).Instances);
    }

    [Fact]
    public async Task Sweep_SelfPreservationDisabled_EvictsAMassExpiry()
    {
        await using var app = new RegistryApp(settings: new Dictionary<string, string?>
        {
            ["Registry:Naming:SelfPreservation:Enabled"] = "false",
        });
        using var client = app.CreateClient();
        var instances = await RegisterManyAsync(client, 20);

        await ExpireAllButAsync(app, client, instances.Take(5));

        Assert.Equal(5, (await client.ListAsync("orders")).Instances.Count);
    }

    [Fact]
    public async Task Sweep_ExpiryBelowTheThreshold_EvictsNormally()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var instances = await RegisterManyAsync(client, 20);

        await ExpireAllButAsync(app, client, instances.Take(10));

        Assert.Equal(10, (await client.ListAsync("orders")).Instances.Count);
        Assert.False(app.Service<SelfPreservation>().State.Active);
    }

    private static async Task<List<InstanceInfo>> RegisterManyAsync(HttpClient client, int count)
    {
        var instances = new List<InstanceInfo>();
        for (var i = 0; i < count; i++)
        {
            instances.Add(await client.RegisterAsync("orders", $"10.0.1.{i + 1}"));
        }

        return instances;
    }

    /// <summary>Lets 31 s pass with only <paramref name="beating"/> sending beats, then sweeps.</summary>
    private static async Task ExpireAllButAsync(RegistryApp app, HttpClient client, IEnumerable<InstanceInfo> beating)
    {
        for (var second = 0; second < 31; second += 5)
        {
            app.Time.Advance(TimeSpan.FromSeconds(5));
            foreach (var instance in beating)
            {
                Assert.Equal(HttpStatusCode.OK, await client.BeatAsync("orders", instance.Id));
            }
        }

        app.Time.Advance(TimeSpan.FromSeconds(1));
        await app.Service<HeartbeatSweeper>().SweepAsync(Ct);
    }

    private static async Task<JsonElement> ReadyAsync(HttpClient client) =>
        JsonDocument.Parse(await client.GetStringAsync("/readyz", Ct)).RootElement;
}
