using System.Net;
using System.Net.Http.Json;
using Registry.Contracts.Naming;
using Registry.Server.Naming;

namespace Registry.Server.Tests.Naming;

public sealed class HeartbeatTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Heartbeat_RegisteredInstance_Returns200WithItsInterval()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var instance = await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 8080, heartbeatIntervalMs = 2000, unhealthyAfterMs = 6000 });

        using var response = await client.PutAsync(Api.Heartbeat("orders", instance.Id), null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2000, (await response.Content.ReadFromJsonAsync<HeartbeatResponse>(Ct))!.HeartbeatIntervalMs);
    }

    [Fact]
    public async Task Heartbeat_UnknownInstance_Returns404ProblemTellingTheClientToRegister()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", "10.0.0.1");

        using var response = await client.PutAsync(Api.Heartbeat("orders", "nope#1#DEFAULT"), null, Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("instance-not-found", problem.Code());
        Assert.Contains("register it again", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heartbeat_InstanceOfAnotherGroup_Returns404()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var instance = await client.RegisterAsync("orders", "10.0.0.1");

        Assert.Equal(HttpStatusCode.NotFound, await client.BeatAsync("orders", instance.Id, "group=other"));
        Assert.Equal(HttpStatusCode.NotFound, await client.BeatAsync("payments", instance.Id));
    }

    [Fact]
    public async Task Heartbeat_ReportingUnhealthy_KeepsTheLeaseButLeavesHealthyListsAndPicksUntilHealthyAgain()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var sweeper = app.Service<HeartbeatSweeper>();
        var sick = await client.RegisterAsync("orders", "10.0.0.1");
        var well = await client.RegisterAsync("orders", "10.0.0.2");

        using var reported = await client.PutAsync(Api.Heartbeat("orders", sick.Id, "healthy=false"), null, Ct);

        Assert.Equal(HttpStatusCode.OK, reported.StatusCode);
        Assert.True(reported.Revision() > sick.Revision);
        Assert.Equal(["10.0.0.2"], (await client.ListAsync("orders", "healthyOnly=true")).Instances.Select(i => i.Ip));
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("10.0.0.2", (await client.GetFromJsonAsync<InstanceInfo>(Api.Instances("orders") + "/pick", Ct))!.Ip);
        }

        // Beating on, unhealthy by its own checks: never evicted, past every lease deadline.
        for (var i = 0; i < 12; i++)
        {
            app.Time.Advance(TimeSpan.FromSeconds(5));
            Assert.Equal(HttpStatusCode.OK, await client.BeatAsync("orders", sick.Id, "healthy=false"));
            Assert.Equal(HttpStatusCode.OK, await client.BeatAsync("orders", well.Id));
            await sweeper.SweepAsync(Ct);
        }

        Assert.False(Assert.Single((await client.ListAsync("orders")).Instances, i => i.Ip == "10.0.0.1").Healthy);
        Assert.Equal(HttpStatusCode.OK, await client.BeatAsync("orders", sick.Id));
        Assert.Equal(2, (await client.ListAsync("orders", "healthyOnly=true")).Instances.Count);
    }

    [Fact]
    public async Task Heartbeat_HealthyNotABoolean_Returns400NamingIt()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var instance = await client.RegisterAsync("orders", "10.0.0.1");

        using var response = await client.PutAsync(Api.Heartbeat("orders", instance.Id, "healthy=sometimes"), null, Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("healthy"));
    }

    [Fact]
    public async Task Heartbeat_PersistentInstance_Returns409Problem()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var instance = await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 8080, ephemeral = false });

        using var response = await client.PutAsync(Api.Heartbeat("orders", instance.Id), null, Ct);

        Assert.Equal("persistent-instance", (await response.ProblemAsync(HttpStatusCode.Conflict)).Code());
    }

    [Fact]
    public async Task Heartbeat_EveryInterval_KeepsTheInstanceHealthyForever()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var instance = await client.RegisterAsync("orders", "10.0.0.1");
        var sweeper = app.Service<HeartbeatSweeper>();

        for (var i = 0; i < 24; i++)
        {
            app.Time.Advance(TimeSpan.FromSeconds(5));
            Assert.Equal(HttpStatusCode.OK, await client.BeatAsync("orders", instance.Id));
            await sweeper.SweepAsync(Ct);
        }

        Assert.True(Assert.Single((await client.ListAsync("orders")).Instances).Healthy);
    }

    [Fact]
    public async Task Heartbeat_OfAnUnhealthyInstance_MakesItHealthyAtANewRevision()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var instance = await client.RegisterAsync("orders", "10.0.0.1");
        app.Time.Advance(TimeSpan.FromSeconds(20));
        await app.Service<HeartbeatSweeper>().SweepAsync(Ct);
        var unhealthy = Assert.Single((await client.ListAsync("orders")).Instances);
        Assert.False(unhealthy.Healthy);

        using var beat = await client.PutAsync(Api.Heartbeat("orders", instance.Id), null, Ct);

        Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
        var healthy = Assert.Single((await client.ListAsync("orders")).Instances);
        Assert.True(healthy.Healthy);
        Assert.True(healthy.Revision > unhealthy.Revision);
        Assert.Equal(healthy.Revision, beat.Revision());
    }

    [Fact]
    public async Task Heartbeat_PlainBeat_TakesNoRevision()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var instance = await client.RegisterAsync("orders", "10.0.0.1");

        using var beat = await client.PutAsync(Api.Heartbeat("orders", instance.Id), null, Ct);

        Assert.Equal(instance.Revision, (await client.ListAsync("orders")).Revision);
        Assert.False(beat.Headers.Contains("X-Registry-Revision"));
    }

    [Fact]
    public async Task Heartbeat_RecordsTheTimeOfTheLastBeat()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var instance = await client.RegisterAsync("orders", "10.0.0.1");
        app.Time.Advance(TimeSpan.FromSeconds(3));

        await client.BeatAsync("orders", instance.Id);

        var read = await client.GetFromJsonAsync<InstanceInfo>(Api.Instance("orders", instance.Id), Ct);
        Assert.Equal(app.Time.GetUtcNow(), read!.LastHeartbeatAt);
    }

    [Theory]
    [InlineData("/v1/services/bad%20name/instances/x/heartbeat", "service")]
    [InlineData("/v1/services/orders/instances/x/heartbeat?group=bad%20group", "group")]
    public async Task Heartbeat_BadName_Returns400(string path, string field)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync(path, null, Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors(field));
    }
}
