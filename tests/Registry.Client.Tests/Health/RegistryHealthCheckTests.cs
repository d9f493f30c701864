using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Registry.Client.Registration;

namespace Registry.Client.Tests.Health;

public sealed class RegistryHealthCheckTests
{
    private const string ConfigAge = "registry.client.config.age";
    private const string DataIdTag = "registry.config.data_id";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void AsOrders(RegistryClientOptions options)
    {
        options.Registration.Service = "orders";
        options.Registration.Ip = "10.0.0.1";
        options.Registration.Port = 8080;
    }

    [Fact]
    public async Task Check_RegisteredAndReachable_IsHealthy()
    {
        await using var server = new RegistryServer();
        await using var app = await ClientHost.StartAsync(server.Handler, AsOrders,
            services: s => s.AddHealthChecks().AddRegistryHealthCheck());
        await Eventually.MatchesAsync(() => Task.FromResult(app.Get<InstanceRegistrar>().Registered), i => i is not null, "registered");

        var report = await app.Get<HealthCheckService>().CheckHealthAsync(Ct);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal("10.0.0.1#8080#DEFAULT", report.Entries["registry"].Data["instance"]);
    }

    [Fact]
    public async Task Beat_AppsOwnCheckUnhealthy_TakesTheInstanceOutOfHealthyListsUntilItPasses()
    {
        await using var server = new RegistryServer();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var database = HealthCheckResult.Healthy();
        await using var app = await ClientHost.StartAsync(server.Handler, AsOrders, time, services: s => s.AddHealthChecks()
            .AddCheck("database", () => database)
            .AddRegistryHealthCheck(failureStatus: HealthStatus.Unhealthy));
        var registered = (await Eventually.MatchesAsync(() => server.ListAsync("orders"), l => l.Count == 1, "registered"))[0];

        database = HealthCheckResult.Unhealthy("timeout");
        var sick = await Eventually.MatchesAsync(async () =>
        {
            time.Advance(TimeSpan.FromMilliseconds(registered.HeartbeatIntervalMs));
            return await server.InstanceAsync("orders", registered.Id);
        }, i => !i.Healthy, "reported unhealthy");
        Assert.Empty(await server.ListAsync("orders", healthyOnly: true));

        database = HealthCheckResult.Healthy();
        await Eventually.MatchesAsync(async () =>
        {
            time.Advance(TimeSpan.FromMilliseconds(registered.HeartbeatIntervalMs));
            return await server.InstanceAsync("orders", registered.Id);
        }, i => i.Healthy, "healthy again");
        Assert.Equal(registered.Id, sick.Id);
    }

    [Fact]
    public async Task Beat_AppsOwnCheckHangs_ReportsUnhealthyAndKeepsBeating()
    {
        await using var server = new RegistryServer();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var hang = false;
        await using var app = await ClientHost.StartAsync(server.Handler, AsOrders, time, services: s => s.AddHealthChecks()
            .AddAsyncCheck("stuck", async ct =>
            {
                if (hang)
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }

                return HealthCheckResult.Healthy();
            }));
        var registered = (await Eventually.MatchesAsync(() => server.ListAsync("orders"), l => l.Count == 1, "registered"))[0];

        hang = true;
        var sick = await Eventually.MatchesAsync(async () =>
        {
            time.Advance(TimeSpan.FromMilliseconds(registered.HeartbeatIntervalMs));
            return await server.InstanceAsync("orders", registered.Id);
        }, i => !i.Healthy, "reported unhealthy");

        Assert.NotNull(sick.LastHeartbeatAt);
        Assert.NotNull(app.Get<InstanceRegistrar>().Registered);
    }

    [Fact]
    public async Task Check_RegistryUnreachableBeforeTheFirstRegistration_IsDegradedSayingWhy()
    {
        var outage = new OutageHandler(null);
        await using var app = await ClientHost.StartAsync(() => outage, AsOrders,
            services: s => s.AddHealthChecks().AddRegistryHealthCheck());

        var report = await Eventually.MatchesAsync(
            async () => await app.Get<HealthCheckService>().CheckHealthAsync(Ct),
            r => r.Entries["registry"].Description?.Contains("unreachable", StringComparison.Ordinal) == true, "reporting the outage");

        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.StartsWith("not registered as 'orders'; the registry is unreachable since ", report.Entries["registry"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ConfigWatchLostTheRegistry_ReportsTheItemStaleUntilItIsBack()
    {
        await using var server = new RegistryServer();
        using (var http = server.Client())
        {
            using var published = await http.PutAsync(new Uri("/v1/configs/health-check.json", UriKind.Relative), new StringContent("{\"a\":1}"), Ct);
            published.EnsureSuccessStatusCode();
        }

        var outage = new OutageHandler(server.Handler);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new LogCollector();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Configuration.AddRegistryConfig("health-check.json", o =>
        {
            o.Server = new Uri("http://registry.test");
            o.CreateHandler = () => outage;
            o.TimeProvider = time;
        });
        builder.Services.AddRegistryClient(o => o.Server = new Uri("http://registry.test"));
        builder.Services.AddHealthChecks().AddRegistryHealthCheck(failureStatus: HealthStatus.Unhealthy);
        using var host = builder.Build();
        await host.StartAsync(Ct);
        var health = host.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(Ct)).Status);

        using var meters = new ClientMeters();
        Assert.Equal(0, meters.Gauge(ConfigAge, DataIdTag, "health-check.json"));
        outage.Down = true;
        var stale = await Eventually.MatchesAsync(async () => await health.CheckHealthAsync(Ct), r => r.Status != HealthStatus.Healthy, "stale");
        Assert.Equal(HealthStatus.Unhealthy, stale.Status);
        Assert.Contains("configuration 'health-check.json' may be out of date since", stale.Entries["registry"].Description, StringComparison.Ordinal);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(meters.Gauge(ConfigAge, DataIdTag, "health-check.json") >= 10, "config age");
        Assert.True(meters.Count("registry.client.watch.reconnects") >= 1, "reconnects");

        outage.Down = false;
        await Eventually.MatchesAsync(async () =>
        {
            time.Advance(TimeSpan.FromSeconds(5));
            return await health.CheckHealthAsync(Ct);
        }, r => r.Status == HealthStatus.Healthy, "current again");
        await host.StopAsync(Ct);
        Assert.Equal([110, 111], logs.Records.Where(r => r.Category.EndsWith("ConfigurationFreshness", StringComparison.Ordinal)).Select(r => r.Id));
    }
}
