using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using Registry.Contracts;
using Registry.Contracts.Admin;
using Registry.Contracts.Naming;
using Registry.Server.Naming;
using Registry.Server.Tests.Probes;

namespace Registry.Server.Tests.Naming;

/// <summary>Server-side health checks of persistent instances, against real TCP and HTTP targets on loopback.</summary>
public sealed class HealthCheckTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Loopback may be probed; the checker's own timer stays out of the way of the rounds a test runs.</summary>
    private static Dictionary<string, string?> Allowing(string network) => new()
    {
        ["Registry:Probes:AllowedNetworks:0"] = network,
        ["Registry:Probes:Tick"] = "01:00:00",
    };

    private static object Check(string type, string? path = null, int timeoutMs = 500) =>
        new { type, path, intervalMs = 1000, timeoutMs, unhealthyThreshold = 2, healthyThreshold = 2 };

    [Fact]
    public async Task Declare_NoNetworkAllowed_IsRefusedWhileThereIsAPersistentInstance()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80, ephemeral = false });

        using var response = await client.PutAsJsonAsync("/v1/services/orders", new { healthCheck = Check("tcp") }, Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("probe-not-allowed", problem.Code());
        Assert.Contains("Registry:Probes:AllowedNetworks is empty", Assert.Single(problem.Errors("healthCheck")), StringComparison.Ordinal);
        Assert.Null((await GetServiceAsync(client, "orders")).HealthCheck);
    }

    [Fact]
    public async Task Declare_InvalidCheck_NamesEveryFieldAndRule()
    {
        await using var app = new RegistryApp(settings: Allowing("127.0.0.0/8"));
        using var client = app.CreateClient();

        using var response = await client.PutAsJsonAsync("/v1/services/orders", new
        {
            healthCheck = new { type = "icmp", path = "/up", intervalMs = 10, timeoutMs = 0, unhealthyThreshold = 0, healthyThreshold = 101, port = 70000 },
        }, Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        foreach (var field in new[] { "type", "path", "intervalMs", "timeoutMs", "unhealthyThreshold", "healthyThreshold", "port" })
        {
            Assert.NotEmpty(problem.Errors($"healthCheck.{field}"));
        }

        using var slow = await client.PutAsJsonAsync(
            "/v1/services/orders", new { healthCheck = new { type = "http", intervalMs = 2000, timeoutMs = 2000 } }, Ct);
        Assert.Contains("shorter than the interval", Assert.Single((await slow.ProblemAsync(HttpStatusCode.BadRequest)).Errors("healthCheck.timeoutMs")),
            StringComparison.Ordinal);
        using var unknown = await client.GetAsync("/v1/services/orders", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Declare_ValidCheck_IsStoredWithItsDefaultsAndRemovedByNone()
    {
        await using var app = new RegistryApp(settings: Allowing("127.0.0.0/8"));
        using var client = app.CreateClient();

        using var put = await client.PutAsJsonAsync("/v1/services/orders", new { healthCheck = new { type = "http" } }, Ct);

        var declared = (await put.Content.ReadFromJsonAsync<ServiceInfo>(Ct))!.HealthCheck!;
        Assert.Equal(
            new HealthCheck { Type = "http", Path = "/", IntervalMs = 10_000, TimeoutMs = 2_000, UnhealthyThreshold = 3, HealthyThreshold = 2 },
            declared);
        using var kept = await client.PutAsJsonAsync("/v1/services/orders", new { protectThreshold = 0.5 }, Ct);
        Assert.Equal(declared, (await kept.Content.ReadFromJsonAsync<ServiceInfo>(Ct))!.HealthCheck);
        using var removed = await client.PutAsJsonAsync("/v1/services/orders", new { healthCheck = new { type = "none" } }, Ct);
        Assert.Null((await removed.Content.ReadFromJsonAsync<ServiceInfo>(Ct))!.HealthCheck);
    }

    [Fact]
    public async Task Register_PersistentInstanceOutsideTheAllowedNetworks_IsRefusedIntoACheckedService()
    {
        await using var app = new RegistryApp(settings: Allowing("127.0.0.0/8"));
        using var client = app.CreateClient();
        await PutCheckAsync(client, "orders", Check("tcp"));

        using var outside = await client.PutAsJsonAsync(Api.Instances("orders"), new { ip = "10.0.0.1", port = 80, ephemeral = false }, Ct);
        using var named = await client.PutAsJsonAsync(Api.Instances("orders"), new { ip = "db.internal", port = 80, ephemeral = false }, Ct);
        var ephemeral = await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80 });

        Assert.Contains("outside Registry:Probes:AllowedNetworks",
            Assert.Single((await outside.ProblemAsync(HttpStatusCode.BadRequest)).Errors("ip")), StringComparison.Ordinal);
        Assert.Contains("host name", Assert.Single((await named.ProblemAsync(HttpStatusCode.BadRequest)).Errors("ip")), StringComparison.Ordinal);
        Assert.True(ephemeral.Healthy);
        Assert.Equal(["10.0.0.1#80#DEFAULT"], (await client.ListAsync("orders")).Instances.Select(i => i.Id));
    }

    [Fact]
    public async Task Register_HealthCheckOnAnEphemeralInstance_IsRefused()
    {
        await using var app = new RegistryApp(settings: Allowing("127.0.0.0/8"));
        using var client = app.CreateClient();

        using var response = await client.PutAsJsonAsync(
            Api.Instances("orders"), new { ip = "127.0.0.1", port = 80, healthCheck = Check("tcp") }, Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("healthCheck"));
    }

    [Fact]
    public async Task Check_TcpTarget_HealthyOnceItPassesAndUnhealthyAfterConsecutiveFailures()
    {
        await using var target = new LoopbackTarget();
        await using var app = new RegistryApp(settings: Allowing("127.0.0.0/8"));
        using var client = app.CreateClient();
        await PutCheckAsync(client, "orders", Check("tcp"));
        var registered = await client.RegisterAsync("orders", new { ip = "127.0.0.1", port = target.Port, ephemeral = false });
        Assert.False(registered.Healthy);

        await StartAsync(app);
        await RoundsAsync(app, 1);
        Assert.False(await HealthyAsync(client, registered.Id));
        await RoundsAsync(app, 1);
        Assert.True(await HealthyAsync(client, registered.Id));

        await target.StopListening();
        await RoundsAsync(app, 1);
        Assert.True(await HealthyAsync(client, registered.Id));
        await RoundsAsync(app, 1);
        Assert.False(await HealthyAsync(client, registered.Id));
        Assert.Empty((await client.ListAsync("orders", "healthyOnly=true")).Instances);

        var audit = await HealthAuditAsync(client);
        Assert.Equal(2, audit.Count);
        Assert.All(audit, entry => Assert.Equal($"DEFAULT_GROUP/orders/{registered.Id}", entry.Target));
        Assert.StartsWith("failed TCP check: ", audit[0].Detail, StringComparison.Ordinal);
        Assert.Equal("passed TCP check: connected", audit[1].Detail);
        var metrics = await client.GetStringAsync("/metrics", Ct);
        Assert.Contains("registry_health_check_flips_total{health=\"unhealthy\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("registry_health_check_flips_total{health=\"healthy\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_HttpTarget_FailsOnAnythingBut2xxAndRecovers()
    {
        await using var target = new LoopbackTarget();
        await using var app = new RegistryApp(settings: Allowing("127.0.0.1"));
        using var client = app.CreateClient();
        var registered = await client.RegisterAsync("orders", new { ip = "127.0.0.1", port = target.Port, ephemeral = false });
        await PutCheckAsync(client, "orders", Check("http", "/healthz?deep=1"));
        await StartAsync(app);

        target.Status = _ => 503;
        await RoundsAsync(app, 2);
        Assert.False(await HealthyAsync(client, registered.Id));
        target.Status = _ => 204;
        await RoundsAsync(app, 2);
        Assert.True(await HealthyAsync(client, registered.Id));

        Assert.Equal(["passed HTTP check: HTTP 204", "failed HTTP check: HTTP 503"], (await HealthAuditAsync(client)).Select(e => e.Detail));
    }

    [Fact]
    public async Task Check_TargetThatHangs_FailsAtItsTimeoutWhileOthersAreProbed()
    {
        await using var hanging = new LoopbackTarget { Hangs = true };
        await using var answering = new LoopbackTarget();
        await using var app = new RegistryApp(settings: Allowing("127.0.0.0/8"));
        using var client = app.CreateClient();
        var stuck = await client.RegisterAsync("orders", new { ip = "127.0.0.1", port = hanging.Port, ephemeral = false });
        // A longer timeout of its own: the clock's step that ends the hanging probe leaves this one's running.
        var fine = await client.RegisterAsync(
            "orders", new { ip = "127.0.0.1", port = answering.Port, ephemeral = false, healthCheck = Check("http", timeoutMs: 900) });
        await PutCheckAsync(client, "orders", Check("http"));
        await StartAsync(app);
        var checker = app.Service<HealthChecker>();

        for (var round = 0; round < 2; round++)
        {
            app.Time.Advance(Interval);
            await checker.RunDueAsync(Ct);
            // The hanging probe waits until its timeout passes on the server's clock; the other is answered.
            app.Time.Advance(TimeSpan.FromMilliseconds(500));
            await checker.IdleAsync();
        }

        Assert.False(await HealthyAsync(client, stuck.Id));
        Assert.True(await HealthyAsync(client, fine.Id));
        Assert.True(answering.Connections >= 2, $"{answering.Connections} probes of the answering target");
        // The answering one, registered with a check of its own, became healthy once it passed.
        Assert.Equal(
            [($"DEFAULT_GROUP/orders/{stuck.Id}", "failed HTTP check: no answer within 500 ms"), ($"DEFAULT_GROUP/orders/{fine.Id}", "passed HTTP check: HTTP 200")],
            (await HealthAuditAsync(client)).Select(e => (e.Target, e.Detail)).OrderBy(e => e.Detail, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Check_FlappingTarget_NeverFlips()
    {
        await using var target = new LoopbackTarget { Status = n => n % 2 == 0 ? 500 : 200 };
        await using var app = new RegistryApp(settings: Allowing("127.0.0.0/8"));
        using var client = app.CreateClient();
        var registered = await client.RegisterAsync("orders", new { ip = "127.0.0.1", port = target.Port, ephemeral = false });
        await PutCheckAsync(client, "orders", Check("http"));
        var before = (await client.ListAsync("orders")).Revision;
        await StartAsync(app);

        await RoundsAsync(app, 10);

        Assert.True(target.Connections >= 10, $"{target.Connections} probes");
        Assert.True(await HealthyAsync(client, registered.Id));
        Assert.Equal(before, (await client.ListAsync("orders")).Revision);
        Assert.Empty(await HealthAuditAsync(client));
    }

    [Fact]
    public async Task Patch_HealthOfACheckedInstance_IsRefusedUntilItOptsOut()
    {
        await using var app = new RegistryApp(settings: Allowing("127.0.0.0/8"));
        using var client = app.CreateClient();
        await PutCheckAsync(client, "orders", Check("tcp"));
        var registered = await client.RegisterAsync("orders", new { ip = "127.0.0.1", port = 9, ephemeral = false });

        using var refused = await client.PatchAsJsonAsync(Api.Instance("orders", registered.Id), new { healthy = true }, Ct);
        Assert.Equal("health-checked-instance", (await refused.ProblemAsync(HttpStatusCode.Conflict)).Code());

        var optedOut = await client.RegisterAsync("orders", new { ip = "127.0.0.1", port = 9, ephemeral = false, healthCheck = new { type = "none" } });
        Assert.Equal("none", optedOut.HealthCheck?.Type);
        using var patched = await client.PatchAsJsonAsync(Api.Instance("orders", registered.Id), new { healthy = true }, Ct);
        Assert.True((await patched.Content.ReadFromJsonAsync<InstanceInfo>(Ct))!.Healthy);
    }

    [Fact]
    public async Task Patch_AnInstancesCheck_IsSetOptedOutAndFollowsTheServiceAgainWithoutRegisteringIt()
    {
        await using var app = new RegistryApp(settings: Allowing("127.0.0.0/8"));
        using var client = app.CreateClient();
        await PutCheckAsync(client, "orders", Check("tcp"));
        var registered = await client.RegisterAsync("orders", new { ip = "127.0.0.1", port = 9, ephemeral = false });
        var outside = await client.RegisterAsync("orders", new { ip = "10.9.9.9", port = 9, ephemeral = false, healthCheck = new { type = "none" } });
        var ephemeral = await client.RegisterAsync("orders", new { ip = "127.0.0.2", port = 9 });

        var own = await PatchAsync(client, registered.Id, new { healthCheck = Check("http", "/ready") });
        var optedOut = await PatchAsync(client, registered.Id, new { healthCheck = new { type = "none" }, healthy = true });
        var following = await PatchAsync(client, registered.Id, new { healthCheck = new { type = "service" } });
        using var refused = await client.PatchAsJsonAsync(Api.Instance("orders", outside.Id), new { healthCheck = new { type = "service" } }, Ct);
        using var onEphemeral = await client.PatchAsJsonAsync(Api.Instance("orders", ephemeral.Id), new { healthCheck = Check("tcp") }, Ct);
        using var invalid = await client.PatchAsJsonAsync(Api.Instance("orders", registered.Id), new { healthCheck = new { type = "ping" } }, Ct);

        Assert.Equal(("http", "/ready"), (own.HealthCheck?.Type, own.HealthCheck?.Path));
        Assert.Equal(("none", true), (optedOut.HealthCheck?.Type, optedOut.Healthy));
        // Following the service's check again, it keeps its health until its probes say otherwise.
        Assert.Equal((null, true), (following.HealthCheck?.Type, following.Healthy));
        var problem = await refused.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("probe-not-allowed", problem.Code());
        Assert.Contains("10.9.9.9", Assert.Single(problem.Errors("healthCheck")), StringComparison.Ordinal);
        Assert.Equal("ephemeral-instance-check", (await onEphemeral.ProblemAsync(HttpStatusCode.BadRequest)).Code());
        Assert.NotEmpty((await invalid.ProblemAsync(HttpStatusCode.BadRequest)).Errors("healthCheck.type"));
        Assert.Equal("none", (await client.GetFromJsonAsync<InstanceInfo>(Api.Instance("orders", outside.Id), Ct))!.HealthCheck?.Type);
    }

    [Fact]
    public async Task Check_AnInstancesOwnCheck_OverridesItsServiceUntilItFollowsTheServiceAgain()
    {
        await using var target = new LoopbackTarget { Status = _ => 500 };
        await using var app = new RegistryApp(settings: Allowing("127.0.0.0/8"));
        using var client = app.CreateClient();
        var registered = await client.RegisterAsync("orders", new { ip = "127.0.0.1", port = target.Port, ephemeral = false });
        var own = await client.RegisterAsync(
            "orders", new { ip = "127.0.0.1", port = target.Port, ephemeral = false, healthCheck = Check("http", "/own") });
        Assert.Equal("/own", own.HealthCheck?.Path);
        await StartAsync(app);

        await RoundsAsync(app, 2);
        Assert.False(await HealthyAsync(client, registered.Id));

        var following = await client.RegisterAsync(
            "orders", new { ip = "127.0.0.1", port = target.Port, ephemeral = false, healthCheck = new { type = "service" } });
        Assert.Null(following.HealthCheck);
        var probes = target.Connections;
        await RoundsAsync(app, 3);
        Assert.Equal(probes, target.Connections);
    }

    [Fact]
    public async Task Restart_WithTheAddressNoLongerAllowed_KeepsTheCheckButProbesNothing()
    {
        using var dir = new TempDirectory();
        await using var target = new LoopbackTarget { Status = _ => 500 };
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using (var first = new RegistryApp(time, dir.File("registry.db"), Allowing("127.0.0.0/8")))
        {
            using var client = first.CreateClient();
            await client.RegisterAsync("orders", new { ip = "127.0.0.1", port = target.Port, ephemeral = false });
            await PutCheckAsync(client, "orders", Check("http"));
        }

        await using var second = new RegistryApp(time, dir.File("registry.db"), Allowing("10.0.0.0/8"));
        using var restarted = second.CreateClient();
        await StartAsync(second);
        await RoundsAsync(second, 3);

        Assert.Equal("http", (await GetServiceAsync(restarted, "orders")).HealthCheck?.Type);
        Assert.Equal(0, target.Connections);
        Assert.True(Assert.Single((await restarted.ListAsync("orders")).Instances).Healthy);
    }

    private static async Task PutCheckAsync(HttpClient client, string service, object check)
    {
        using var response = await client.PutAsJsonAsync($"/v1/services/{service}", new { healthCheck = check }, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
    }

    private static async Task<InstanceInfo> PatchAsync(HttpClient client, string id, object patch)
    {
        using var response = await client.PatchAsJsonAsync(Api.Instance("orders", id), patch, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return (await response.Content.ReadFromJsonAsync<InstanceInfo>(Ct))!;
    }

    private static async Task<ServiceInfo> GetServiceAsync(HttpClient client, string service) =>
        (await client.GetFromJsonAsync<ServiceInfo>($"/v1/services/{service}", Ct))!;

    private static async Task<bool> HealthyAsync(HttpClient client, string id) =>
        (await client.GetFromJsonAsync<InstanceInfo>(Api.Instance("orders", id), Ct))!.Healthy;

    /// <summary>What the checks changed, newest first.</summary>
    private static async Task<List<AuditEntryInfo>> HealthAuditAsync(HttpClient client) =>
        [.. (await client.GetFromJsonAsync<Paged<AuditEntryInfo>>("/v1/audit?actor=health-check", Ct))!.Items];

    /// <summary>The checker finds the checked instances and places each in its interval.</summary>
    private static Task StartAsync(RegistryApp app) => app.Service<HealthChecker>().RunDueAsync(Ct);

    /// <summary>Rounds of one interval each: every checked instance is probed once in each.</summary>
    private static async Task RoundsAsync(RegistryApp app, int rounds)
    {
        var checker = app.Service<HealthChecker>();
        for (var round = 0; round < rounds; round++)
        {
            app.Time.Advance(Interval);
            await checker.RunDueAsync(Ct);
            await checker.IdleAsync();
        }
    }
}
