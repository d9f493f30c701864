using System.Globalization;
using System.Net;
using Registry.Server.Naming;
using Registry.Server.Tests.Config;
using Registry.Server.Tests.Naming;
using Registry.Server.Tests.Security;

namespace Registry.Server.Tests.Metrics;

public sealed class MetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_AfterActivity_ReportWhatHappenedInPrometheusFormat()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var a = await client.RegisterAsync("orders", "10.0.0.1");
        await client.RegisterAsync("orders", "10.0.0.2");
        await client.RegisterAsync("orders", "10.0.0.3");
        await client.BeatAsync("orders", a.Id);
        await client.BeatAsync("orders", a.Id);
        await client.PublishAsync("app.yaml", "a: 1\n");
        await client.PublishAsync("app.yaml", "a: 2\n");
        (await client.DeleteAsync(ConfigApi.Path("app.yaml"), Ct)).EnsureSuccessStatusCode();
        var (watch, stream) = await SseReader.OpenAsync(client, "/v1/configs/watch");
        using var _ = watch;
        await using var __ = stream;
        app.Time.Advance(TimeSpan.FromSeconds(16));
        await client.BeatAsync("orders", a.Id);
        await app.Service<HeartbeatSweeper>().SweepAsync(Ct);
        app.Time.Advance(TimeSpan.FromSeconds(15));
        await client.BeatAsync("orders", a.Id);
        await app.Service<HeartbeatSweeper>().SweepAsync(Ct);

        using var response = await client.GetAsync("/metrics", Ct);
        var metrics = Parse(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, metrics["registry_instances{namespace=\"public\",health=\"healthy\"}"]);
        Assert.Equal(0, metrics["registry_instances{namespace=\"public\",health=\"unhealthy\"}"]);
        Assert.Equal(1, metrics["registry_services{namespace=\"public\"}"]);
        Assert.Equal(3, metrics["registry_registrations_total"]);
        Assert.True(metrics["registry_heartbeats_total"] >= 4);
        Assert.Equal(2, metrics["registry_evictions_total"]);
        Assert.Equal(1, metrics["registry_config_changes_total{op=\"create\"}"]);
        Assert.Equal(1, metrics["registry_config_changes_total{op=\"update\"}"]);
        Assert.Equal(1, metrics["registry_config_changes_total{op=\"delete\"}"]);
        Assert.Equal(1, metrics["registry_sse_subscribers"]);
        Assert.Equal(0, metrics["registry_self_preservation_active"]);
        Assert.True(metrics["registry_store_commit_seconds_count"] > 0);
        Assert.Contains(metrics.Keys, key => key.StartsWith("http_request_duration_seconds_bucket{", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_DuringSelfPreservation_ShowIt()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        for (var i = 1; i <= 12; i++)
        {
            await client.RegisterAsync("orders", $"10.0.0.{i}");
        }

        app.Time.Advance(TimeSpan.FromSeconds(31));
        await app.Service<HeartbeatSweeper>().SweepAsync(Ct);

        var metrics = Parse(await client.GetStringAsync("/metrics", Ct));
        Assert.Equal(1, metrics["registry_self_preservation_active"]);
        Assert.Equal(12, metrics["registry_self_preservation_held_instances"]);
    }

    [Fact]
    public async Task Metrics_WithAuthOn_NeedNoToken()
    {
        await using var app = AuthApp.Create();
        using var client = app.Client(null);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics", Ct)).StatusCode);
    }

    private static Dictionary<string, double> Parse(string text) =>
        text.Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' '))
            .GroupBy(parts => parts[0])
            .ToDictionary(g => g.Key, g => double.Parse(g.First()[1], CultureInfo.InvariantCulture));
}
