using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Registry.Benchmarks.Load.Hosting;
using Registry.Benchmarks.Load.Load;
using Registry.Benchmarks.Load.Push;
using Registry.Benchmarks.Load.Report;

namespace Registry.Benchmarks.Load;

/// <summary>
/// One benchmark run: the /ping baseline and the registry server as processes on loopback, every scenario
/// measured right after a /ping run with the same generator, so each result has a ratio from the same moment.
/// </summary>
internal sealed partial class BenchmarkRun(BenchmarkOptions options, ILoadGenerator generator, TextWriter log)
{
    private const string ServerAssembly = "Registry.Server.dll";
    private const string PingAssembly = "Registry.Benchmarks.Ping.dll";

    private static readonly string[] QuietLogging = ["--Logging:LogLevel:Default=Warning"];

    // Writes unthrottled, leases long enough that nothing expires while a scenario runs, and the
    // store loader's timing in the log.
    private static readonly string[] ServerArguments =
    [
        "--Registry:Storage:Path=registry.db",
        "--Registry:Limits:RateLimitEnabled=false",
        "--Registry:Naming:UnhealthyAfter=00:30:00",
        "--Registry:Naming:EvictAfter=01:00:00",
        .. QuietLogging,
        "--Logging:LogLevel:Registry.Server.Storage.StoreLoader=Information",
    ];

    private readonly LoadShape _shape = new(options.Connections, options.Threads, options.Duration);
    private readonly List<ThroughputResult> _throughput = [];
    private readonly List<PushResult> _push = [];

    public async Task<BenchmarkResults> RunAsync(CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("registry-bench-");
        try
        {
            await using var ping = await AppProcess.StartAsync(PingAssembly, work.FullName, QuietLogging, "/ping", cancellationToken);
            await generator.RunAsync(ping.Address, Scenarios.Ping, _shape with { Duration = options.WarmUp }, cancellationToken);

            await RunOnFirstServerAsync(ping, Directory.CreateDirectory(Path.Combine(work.FullName, "a")).FullName, cancellationToken);
            var (memory, startup) = await RunOnLargeServerAsync(
                ping, Directory.CreateDirectory(Path.Combine(work.FullName, "b")).FullName, cancellationToken);
            return new BenchmarkResults(generator.Description, _shape, _throughput, _push, memory, startup);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Reads, small heartbeat scenarios, durable writes and push, on one server.</summary>
    private async Task RunOnFirstServerAsync(AppProcess ping, string directory, CancellationToken cancellationToken)
    {
        await using var server = await StartServerAsync(directory, cancellationToken);
        using var client = server.CreateClient();
        await RegistrySetup.RegisterAsync(client, "list", 10 * RequestTemplate.KeysPerGroup, 10 * RequestTemplate.KeysPerGroup + 10, cancellationToken);
        await RegistrySetup.PublishAsync(client, Scenarios.ConfigGetDataId, "timeout=30s\nretries=3\n", cancellationToken);

        await MeasureAsync("List healthy instances (10-instance service)", ping, server, Scenarios.ListHealthy, cancellationToken, minRatio: 0.7);
        await MeasureAsync("Pick an instance (10-instance service)", ping, server, Scenarios.Pick, cancellationToken);
        await MeasureAsync("Config get", ping, server, Scenarios.ConfigGet, cancellationToken);

        var registered = 0L;
        foreach (var instances in options.HeartbeatInstances.Order().SkipLast(1))
        {
            await RegistrySetup.RegisterAsync(client, "beat", registered, instances, cancellationToken);
            registered = instances;
            await MeasureHeartbeatsAsync(ping, server, instances, cancellationToken);
        }

        await MeasureAsync("Register (new instance, durable)", ping, server, Scenarios.Register("reg"), cancellationToken, minRatio: 0.3);
        await MeasureAsync("Config publish (new version, durable)", ping, server, Scenarios.Publish, cancellationToken, minRatio: 0.15);

        foreach (var subscribers in options.Subscribers)
        {
            await MeasurePushAsync(server, client, subscribers, cancellationToken);
        }

        await server.StopAsync();
    }

    /// <summary>Memory with the largest instance count, a restart over it, then its heartbeats.</summary>
    private async Task<(MemoryResult, StartupResult)> RunOnLargeServerAsync(
        AppProcess ping, string directory, CancellationToken cancellationToken)
    {
        var instances = options.HeartbeatInstances.Max();
        MemoryResult memory;
        await using (var server = await StartServerAsync(directory, cancellationToken))
        {
            using var client = server.CreateClient();

            // Warm the code paths first so the idle figure is of a server that has served.
            await RegistrySetup.RegisterAsync(client, "warm", 0, 1_000, cancellationToken);
            var (idle, managedIdle) = await SettledMemoryAsync(server, client, cancellationToken);
            log.WriteLine($"Registering {instances:N0} instances...");
            await RegistrySetup.RegisterAsync(client, "beat", 0, instances, cancellationToken);
            var (loaded, managedLoaded) = await SettledMemoryAsync(server, client, cancellationToken);
            memory = new MemoryResult(instances, idle, loaded, managedIdle, managedLoaded);
            log.WriteLine($"Memory: {memory.BytesPerInstance:F0} bytes per instance ({idle / 1048576.0:F1} MiB idle, {loaded / 1048576.0:F1} MiB loaded)");
            await server.StopAsync();
        }

        await using (var server = await StartServerAsync(directory, cancellationToken))
        {
            using var client = server.CreateClient();
            var listed = await RegistrySetup.CountInstancesAsync(client, "beat-0", cancellationToken);
            if (listed != Math.Min(instances, RequestTemplate.KeysPerGroup))
            {
                throw new InvalidOperationException($"After the restart beat-0 lists {listed} instances.");
            }

            var startup = new StartupResult(instances, server.StartedIn, LoadedIn(server.Output));
            log.WriteLine($"Start-up with {instances:N0} instances: serving after {startup.ServingAfter.TotalMilliseconds:F0} ms");
            await MeasureHeartbeatsAsync(ping, server, instances, cancellationToken);
            await server.StopAsync();
            return (memory, startup);
        }
    }

    private Task MeasureHeartbeatsAsync(AppProcess ping, AppProcess server, long instances, CancellationToken cancellationToken) =>
        MeasureAsync($"Heartbeat, {instances:N0} instances", ping, server, Scenarios.Heartbeat("beat", instances), cancellationToken,
            minRatio: 0.8, maxP99Ratio: 2);

    private async Task MeasureAsync(
        string scenario, AppProcess ping, AppProcess server, RequestTemplate template, CancellationToken cancellationToken,
        double? minRatio = null, double? maxP99Ratio = null)
    {
        log.WriteLine($"{scenario}...");
        var baseline = await generator.RunAsync(ping.Address, Scenarios.Ping, _shape, cancellationToken);
        await generator.RunAsync(server.Address, template.ForWarmUp(), _shape with { Duration = options.WarmUp }, cancellationToken);
        var result = await generator.RunAsync(server.Address, template, _shape, cancellationToken);
        var measured = new ThroughputResult(scenario, result, baseline, minRatio, maxP99Ratio);
        _throughput.Add(measured);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {result.RequestsPerSecond:F0} req/s (/ping {baseline.RequestsPerSecond:F0}, ratio {measured.Ratio:F2}), p99 {result.P99.TotalMilliseconds:F2} ms, {result.Failed} failed"));
    }

    private async Task MeasurePushAsync(AppProcess server, HttpClient client, int subscribers, CancellationToken cancellationToken)
    {
        log.WriteLine($"Publish to {subscribers:N0} SSE subscribers...");
        await using var watchers = await SseSubscribers.ConnectAsync(
            server.Address, $"/v1/configs/watch?dataId={Scenarios.PushDataId}", subscribers, options.Publishes, cancellationToken);
        var latencies = new List<double>();
        for (var publish = 0; publish < options.Publishes; publish++)
        {
            await RegistrySetup.PublishAsync(client, Scenarios.PushDataId, $"@push#{publish}# to {subscribers}", cancellationToken);
            var acknowledged = Stopwatch.GetTimestamp();
            await watchers.WaitForAsync(publish, TimeSpan.FromSeconds(30), cancellationToken);
            latencies.AddRange(watchers.ReceivedAt(publish).Where(at => at != 0)
                .Select(at => Math.Max(0, Stopwatch.GetElapsedTime(acknowledged, at).TotalMilliseconds)));
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        latencies.Sort();
        var result = new PushResult(subscribers, options.Publishes, latencies.Count,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Count == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(latencies[^1]));
        _push.Add(result);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  delivered {result.Delivered}/{result.Expected}, p50 {result.P50.TotalMilliseconds:F1} ms, p99 {result.P99.TotalMilliseconds:F1} ms, slowest {result.Max.TotalMilliseconds:F1} ms"));
    }

    private static TimeSpan Percentile(List<double> sortedMilliseconds, double quantile) =>
        sortedMilliseconds.Count == 0
            ? TimeSpan.Zero
            : TimeSpan.FromMilliseconds(sortedMilliseconds[(int)Math.Min(sortedMilliseconds.Count - 1, Math.Ceiling(quantile * sortedMilliseconds.Count) - 1)]);

    private static Task<AppProcess> StartServerAsync(string directory, CancellationToken cancellationToken) =>
        AppProcess.StartAsync(ServerAssembly, directory, ServerArguments, "/healthz", cancellationToken);

    private static async Task<(long Resident, double? Managed)> SettledMemoryAsync(
        AppProcess server, HttpClient client, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        return (server.ResidentBytes(), await RegistrySetup.MetricAsync(client, "dotnet_total_memory_bytes", cancellationToken));
    }

    private static TimeSpan? LoadedIn(IEnumerable<string> output) =>
        output.Select(line => LoadedPattern().Match(line)).LastOrDefault(m => m.Success) is { } match
            ? TimeSpan.FromMilliseconds(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))
            : null;

    [GeneratedRegex(@"Loaded the registry at revision \d+ in (\d+) ms")]
    private static partial Regex LoadedPattern();
}
