using Microsoft.Extensions.Time.Testing;
using Registry.Client.Discovery;

namespace Registry.Client.Tests.Discovery;

public sealed class RegistryResolverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Resolve_ServiceWithInstances_ReturnsThem()
    {
        await using var server = new RegistryServer();
        await server.RegisterAsync("pay", "10.0.0.1");
        await server.RegisterAsync("pay", "10.0.0.2");
        await using var app = await ClientHost.StartAsync(server.Handler, _ => { });

        var instances = await app.Get<IRegistryResolver>().ResolveAsync("pay", Ct);

        Assert.Equal(["10.0.0.1", "10.0.0.2"], instances.Select(i => i.Ip));
    }

    [Fact]
    public async Task Resolve_InstanceRegisteredLater_ArrivesThroughTheWatchAndFiresTheChangeToken()
    {
        await using var server = new RegistryServer();
        await server.RegisterAsync("pay", "10.0.0.1");
        await using var app = await ClientHost.StartAsync(server.Handler, _ => { });
        var resolver = app.Get<IRegistryResolver>();
        Assert.Single(await resolver.ResolveAsync("pay", Ct));
        var changed = resolver.GetChangeToken("pay");

        await server.RegisterAsync("pay", "10.0.0.2");

        await Eventually.MatchesAsync(async () => await resolver.ResolveAsync("pay", Ct), l => l.Count == 2, "pushed");
        Assert.True(changed.HasChanged);
    }

    [Fact]
    public async Task Resolve_WatchOff_PollsAtTheInterval()
    {
        await using var server = new RegistryServer();
        await server.RegisterAsync("pay", "10.0.0.1");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await ClientHost.StartAsync(server.Handler, options =>
        {
            options.Discovery.Watch = false;
            options.Discovery.PollInterval = TimeSpan.FromSeconds(10);
        }, time);
        var resolver = app.Get<IRegistryResolver>();
        Assert.Single(await resolver.ResolveAsync("pay", Ct));

        await server.RegisterAsync("pay", "10.0.0.2");

        await Eventually.MatchesAsync(async () =>
        {
            time.Advance(TimeSpan.FromSeconds(10));
            return await resolver.ResolveAsync("pay", Ct);
        }, l => l.Count == 2, "polled");
    }

    [Fact]
    public async Task Resolve_RegistryUnreachable_KeepsServingTheLastKnownList()
    {
        await using var server = new RegistryServer();
        await server.RegisterAsync("pay", "10.0.0.1");
        var transport = new OutageHandler(server.Handler);
        await using var app = await ClientHost.StartAsync(() => transport, _ => { });
        var resolver = app.Get<IRegistryResolver>();
        Assert.Single(await resolver.ResolveAsync("pay", Ct));

        transport.Down = true;
        await server.RegisterAsync("pay", "10.0.0.2");

        Assert.Equal(["10.0.0.1"], (await resolver.ResolveAsync("pay", Ct)).Select(i => i.Ip));
        Assert.Equal("10.0.0.1", (await resolver.PickAsync("pay", cancellationToken: Ct))?.Ip);

        transport.Down = false;

        await Eventually.MatchesAsync(async () => await resolver.ResolveAsync("pay", Ct), l => l.Count == 2, "caught up after the outage");
    }

    [Fact]
    public async Task Resolve_RestartDuringAnOutage_ResolvesFromTheSnapshot()
    {
        using var snapshots = new Registry.Server.Tests.TempDirectory();
        await using var server = new RegistryServer();
        await server.RegisterAsync("pay", "10.0.0.1", weight: 3);
        await using (var before = await ClientHost.StartAsync(server.Handler, o => o.Discovery.SnapshotDirectory = snapshots.Path))
        {
            Assert.Single(await before.Get<IRegistryResolver>().ResolveAsync("pay", Ct));
        }

        await using var after = await ClientHost.StartAsync(() => new OutageHandler(null), o => o.Discovery.SnapshotDirectory = snapshots.Path);

        var instance = Assert.Single(await after.Get<IRegistryResolver>().ResolveAsync("pay", Ct));
        Assert.Equal(("10.0.0.1", 3.0), (instance.Ip, instance.EffectiveWeight));
    }

    [Fact]
    public async Task Resolve_UnreachableAndNothingKnown_ThrowsRegistryUnavailable()
    {
        await using var app = await ClientHost.StartAsync(() => new OutageHandler(null), _ => { });

        await Assert.ThrowsAsync<RegistryUnavailableException>(async () => await app.Get<IRegistryResolver>().ResolveAsync("pay", Ct));
    }

    [Fact]
    public async Task Pick_Protocol_ReturnsAnInstanceServingItWithItsEndpoint()
    {
        await using var server = new RegistryServer();
        using (var http = server.Client())
        {
            using var grpc = await System.Net.Http.Json.HttpClientJsonExtensions.PutAsJsonAsync(http, "/v1/services/pay/instances",
                new { ip = "10.0.0.2", port = 8080, metadata = new Dictionary<string, string> { ["protocol.grpc.port"] = "9090" } }, Ct);
            grpc.EnsureSuccessStatusCode();
        }

        await server.RegisterAsync("pay", "10.0.0.1");
        await using var app = await ClientHost.StartAsync(server.Handler, _ => { });

        var picked = await app.Get<IRegistryResolver>().PickAsync("pay", "grpc", Ct);

        Assert.Equal(("10.0.0.2", 9090), (picked?.Endpoint?.Host, picked?.Endpoint?.Port));
    }

    [Fact]
    public void Pick_Weights_SpreadsPicksByWeight()
    {
        var light = Instance("10.0.0.1", 1);
        var heavy = Instance("10.0.0.2", 3);
        var random = new Random(7);

        var picks = Enumerable.Range(0, 4_000).Select(_ => WeightedPick.Pick([light, heavy], random)!.Ip).ToList();

        Assert.InRange(picks.Count(ip => ip == "10.0.0.2") / 4_000.0, 0.70, 0.80);
        Assert.Null(WeightedPick.Pick([light with { Enabled = false }, heavy with { EffectiveWeight = 0 }], random));
    }

    internal static Registry.Contracts.Naming.InstanceInfo Instance(string ip, double weight) => new()
    {
        Id = $"{ip}#8080#DEFAULT", Namespace = "public", Group = "DEFAULT_GROUP", Service = "pay", Ip = ip, Port = 8080,
        Cluster = "DEFAULT", Weight = weight, EffectiveWeight = weight, Enabled = true, Healthy = true, Ephemeral = true,
        Metadata = new Dictionary<string, string>(), HeartbeatIntervalMs = 5000, UnhealthyAfterMs = 15000, EvictAfterMs = 30000,
        RegisteredAt = DateTimeOffset.UnixEpoch, Revision = 1,
    };
}
