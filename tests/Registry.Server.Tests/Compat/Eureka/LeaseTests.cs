using System.Net;
using Registry.Server.Naming;

namespace Registry.Server.Tests.Compat.Eureka;

public sealed class LeaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Renew_RegisteredInstance_Returns200()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance());

        Assert.Equal(HttpStatusCode.OK, await client.SendAsync(HttpMethod.Put, "/eureka/v2/apps/MYAPP/host1:myapp:8080"));
    }

    [Fact]
    public async Task Renew_ThenReadTheInstance_ShowsTheRenewalTime()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance());
        app.Time.Advance(TimeSpan.FromSeconds(30));

        await client.SendAsync(HttpMethod.Put, "/eureka/v2/apps/MYAPP/host1:myapp:8080");

        var lease = (await client.GetJsonAsync("/eureka/v2/apps/MYAPP/host1:myapp:8080"))["instance"]!["leaseInfo"]!;
        Assert.Equal(app.Time.GetUtcNow().ToUnixTimeMilliseconds(), (long)lease["lastRenewalTimestamp"]!);
        Assert.Equal(app.Time.GetUtcNow().AddSeconds(-30).ToUnixTimeMilliseconds(), (long)lease["registrationTimestamp"]!);
    }

    [Fact]
    public async Task Renew_AfterTheInstanceWasReplacedNatively_FindsTheNewOne()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance(ip: "10.0.0.5"));
        await client.SendAsync(HttpMethod.Put, "/eureka/v2/apps/MYAPP/host1:myapp:8080");
        var old = Assert.Single((await client.ListAsync("myapp")).Instances);
        using (await client.DeleteAsync(Api.Instance("myapp", old.Id), Ct))
        {
        }

        Assert.Equal(HttpStatusCode.NotFound, await client.SendAsync(HttpMethod.Put, "/eureka/v2/apps/MYAPP/host1:myapp:8080"));
        await client.RegisteredAsync(EurekaApi.Instance(ip: "10.0.0.7"));
        Assert.Equal(HttpStatusCode.OK, await client.SendAsync(HttpMethod.Put, "/eureka/v2/apps/MYAPP/host1:myapp:8080"));
    }

    [Fact]
    public async Task Renew_UnknownInstance_Returns404()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, await client.SendAsync(HttpMethod.Put, "/eureka/v2/apps/MYAPP/nobody"));
    }

    [Fact]
    public async Task Cancel_RegisteredInstance_Returns200AndRemovesIt_ThenUnknownReturns404()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance());

        Assert.Equal(HttpStatusCode.OK, await client.SendAsync(HttpMethod.Delete, "/eureka/v2/apps/MYAPP/host1:myapp:8080"));

        Assert.Empty((await client.ListAsync("myapp")).Instances);
        Assert.Equal(HttpStatusCode.NotFound, await client.SendAsync(HttpMethod.Delete, "/eureka/v2/apps/MYAPP/host1:myapp:8080"));
    }

    [Fact]
    public async Task Lease_DefaultLeaseInfo_BeatsEvery30sDownAfter90sEvictedAfter180s()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance());
        var sweeper = app.Service<HeartbeatSweeper>();

        var native = Assert.Single((await client.ListAsync("myapp")).Instances);
        Assert.Equal(30_000, native.HeartbeatIntervalMs);
        Assert.Equal(90_000, native.UnhealthyAfterMs);
        Assert.Equal(180_000, native.EvictAfterMs);

        app.Time.Advance(TimeSpan.FromSeconds(91));
        await sweeper.SweepAsync(Ct);
        Assert.Equal("DOWN", EurekaApi.Instances(await client.GetJsonAsync("/eureka/v2/apps"))[0]["status"].Text());

        app.Time.Advance(TimeSpan.FromSeconds(90));
        await sweeper.SweepAsync(Ct);
        Assert.Empty(EurekaApi.Instances(await client.GetJsonAsync("/eureka/v2/apps")));
    }

    [Fact]
    public async Task Lease_RenewalsAtTheDeclaredInterval_KeepTheInstanceUp()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisteredAsync(EurekaApi.Instance(renewal: 10, duration: 20));
        var sweeper = app.Service<HeartbeatSweeper>();

        for (var i = 0; i < 6; i++)
        {
            app.Time.Advance(TimeSpan.FromSeconds(10));
            Assert.Equal(HttpStatusCode.OK, await client.SendAsync(HttpMethod.Put, "/eureka/v2/apps/MYAPP/host1:myapp:8080"));
            await sweeper.SweepAsync(Ct);
        }

        Assert.Equal("UP", EurekaApi.Instances(await client.GetJsonAsync("/eureka/v2/apps"))[0]["status"].Text());

        app.Time.Advance(TimeSpan.FromSeconds(21));
        await sweeper.SweepAsync(Ct);
        Assert.Equal("DOWN", EurekaApi.Instances(await client.GetJsonAsync("/eureka/v2/apps"))[0]["status"].Text());
        app.Time.Advance(TimeSpan.FromSeconds(20));
        await sweeper.SweepAsync(Ct);
        Assert.Equal(HttpStatusCode.NotFound, await client.SendAsync(HttpMethod.Put, "/eureka/v2/apps/MYAPP/host1:myapp:8080"));
    }

    [Theory]
    [InlineData(0, 90, "leaseInfo.renewalIntervalInSecs")]
    [InlineData(600, 900, "leaseInfo.renewalIntervalInSecs")]
    [InlineData(30, 30, "leaseInfo.durationInSecs")]
    [InlineData(30, 200_000, "leaseInfo.durationInSecs")]
    public async Task Register_LeaseInfoOutsideTheServerRanges_Returns400(int renewal, int duration, string field)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.RegisterAsync(EurekaApi.Instance(renewal: renewal, duration: duration));

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors(field));
    }
}
