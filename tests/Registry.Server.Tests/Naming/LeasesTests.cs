using System.Net;
using System.Net.Http.Json;
using Registry.Contracts.Naming;

namespace Registry.Server.Tests.Naming;

public sealed class LeasesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Leases_AfterAHeartbeat_ShowWhenEachInstanceTurnsUnhealthyAndIsEvicted()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var beating = await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80, unhealthyAfterMs = 6000, evictAfterMs = 20000 });
        await client.RegisterAsync("orders", new { ip = "10.0.0.2", port = 80, ephemeral = false });
        app.Time.Advance(TimeSpan.FromSeconds(4));
        await client.BeatAsync("orders", beating.Id);
        var beatAt = app.Time.GetUtcNow();
        app.Time.Advance(TimeSpan.FromSeconds(1));

        var leases = await client.GetFromJsonAsync<List<InstanceLease>>("/v1/services/orders/leases", Ct);

        var ephemeral = leases!.Single(l => l.Id == beating.Id);
        Assert.Equal(beatAt, ephemeral.LastHeartbeatAt);
        Assert.Equal(beatAt.AddSeconds(6), ephemeral.UnhealthyAt);
        Assert.Equal(beatAt.AddSeconds(20), ephemeral.EvictAt);
        var persistent = leases!.Single(l => l.Id != beating.Id);
        Assert.False(persistent.Ephemeral);
        Assert.Null(persistent.LastHeartbeatAt);
        Assert.Null(persistent.EvictAt);
    }

    [Fact]
    public async Task Leases_UnknownService_AreEmpty()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var leases = await client.GetFromJsonAsync<List<InstanceLease>>("/v1/services/nobody/leases", Ct);

        Assert.Empty(leases!);
    }

    [Fact]
    public async Task Leases_BadServiceName_Returns400NamingIt()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/v1/services/a%20b/leases", Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("service"));
    }
}
