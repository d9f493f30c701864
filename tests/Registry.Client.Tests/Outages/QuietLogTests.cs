using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Registry.Client.Registration;
using Registry.Client.Telemetry;
using Registry.Server.Tests;

namespace Registry.Client.Tests.Outages;

/// <summary>
/// What an app using the client logs at the levels shown by default, while it beats to a registry that is killed
/// and comes back: the changes, once each, and nothing per beat, request or retry.
/// </summary>
[Collection(nameof(ServerProcesses))]
public sealed class QuietLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Beats_ThroughAnOutage_LogTheChangesOnceAndNothingPerBeatOrRetry()
    {
        using var data = new TempDirectory();
        var port = ServerProcess.FreePort();
        var registry = await StartRegistryAsync(data, port);
        using var beats = new BeatCounter();
        var logs = new LogCollector();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Information);
        builder.Services.AddRegistryClient(o =>
        {
            o.Server = registry.Address;
            o.Registration.Service = "quiet";
        });
        await using var app = builder.Build();
        await app.StartAsync(Ct);

        await Eventually.MatchesAsync(() => Task.FromResult(beats.Count("ok")), n => n >= 3, "beating");
        await registry.KillAsync();
        await Eventually.MatchesAsync(() => Task.FromResult(beats.Count("failed")), n => n >= 1, "failing to beat");
        await using var restarted = await StartRegistryAsync(data, port);
        await Eventually.MatchesAsync(() => Task.FromResult(logs.Records.Count(r => r.Id == 21)), n => n == 1, "logging that the registry answers again");
        await Eventually.MatchesAsync(() => Task.FromResult(beats.Count("ok")), n => n >= 6, "beating again");

        var records = logs.Records.ToList();
        Assert.DoesNotContain(records, r => r.Category.StartsWith("System.Net.Http", StringComparison.Ordinal) || r.Category.StartsWith("Polly", StringComparison.Ordinal));
        Assert.Single(records, r => r.Id == 20 && r.Level == LogLevel.Warning && r.Message.Contains("unreachable", StringComparison.Ordinal));
        Assert.Single(records, r => r.Id == 21);
        Assert.All(records.Where(r => r.Category.StartsWith("Registry", StringComparison.Ordinal)), r => Assert.Contains(r.Id, new[] { 1, 3, 20, 21 }));
        Assert.All(records, r => Assert.Null(r.Exception));
        Assert.NotNull(app.Services.GetRequiredService<InstanceRegistrar>().Registered);
        await registry.DisposeAsync();
    }

    private static Task<ServerProcess> StartRegistryAsync(TempDirectory data, int port) =>
        ServerProcess.StartOnPortAsync(data.Path, port, "--Registry:Storage:Path=registry.db", "--Registry:Naming:HeartbeatInterval=00:00:01",
            "--Registry:Limits:RateLimitEnabled=false");

    /// <summary>Counts <c>registry.client.beats</c> by outcome, from this test's own listener.</summary>
    private sealed class BeatCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, long> _counts = new();

        public BeatCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == RegistryClientMetrics.Name && instrument.Name == "registry.client.beats")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "outcome" && tag.Value is string outcome)
                    {
                        _counts.AddOrUpdate(outcome, value, (_, n) => n + value);
                    }
                }
            });
            _listener.Start();
        }

        public long Count(string outcome) => _counts.GetValueOrDefault(outcome);

        public void Dispose() => _listener.Dispose();
    }
}
