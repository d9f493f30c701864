using System.Globalization;
using Registry.Benchmarks.Load.Hosting;
using Registry.Benchmarks.Load.Load;
using Registry.Benchmarks.Load.Push;
using Registry.Benchmarks.Load.Report;

namespace Registry.Benchmarks.Load;

/// <summary>
/// One benchmark run: the /ping baseline and the registry server (with <c>--compare</c>, two builds of it) as
/// processes on loopback. Every measured run of a scenario on a build comes right after a /ping run with the
/// same generator, each after its own warm-up, so every ratio is of two figures from the same moment.
/// </summary>
internal sealed class BenchmarkRun(BenchmarkOptions options, ILoadGenerator generator, TextWriter log)
{
    private const string TwoMetadataFields = "2 fields (`zone`, `version`)";

    private static readonly string PingAssembly = Path.Combine(AppContext.BaseDirectory, "Registry.Benchmarks.Ping.dll");

    private readonly LoadShape _shape = new(options.Connections, options.Threads, options.Duration);
    private readonly List<ThroughputResult> _throughput = [];
    private readonly List<PushResult> _push = [];
    private readonly List<MemoryResult> _memory = [];
    private readonly List<StartupResult> _startup = [];
    private int _turn;

    public async Task<BenchmarkResults> RunAsync(CancellationToken cancellationToken)
    {
        var builds = options.Builds;
        var work = Directory.CreateTempSubdirectory("registry-bench-");
        try
        {
            await using var ping = await AppProcess.StartAsync(PingAssembly, work.FullName, [], "/ping", cancellationToken);
            await RunSideBySideAsync(ping, builds, work.FullName, cancellationToken);
            for (var i = 0; i < builds.Count; i++)
            {
                await RunLargeAsync(ping, builds[i], Path.Combine(work.FullName, $"large-{i}"), cancellationToken);
            }

            return new BenchmarkResults(generator.Describe(_shape), _shape, options.WarmUp, builds, _throughput, _push, _memory, _startup);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Reads, the smaller heartbeat scenarios, durable writes and push, with every build running at once, so
    /// that each scenario is measured on each build within the same minute.
    /// </summary>
    private async Task RunSideBySideAsync(AppProcess ping, IReadOnlyList<ServerBuild> builds, string work, CancellationToken cancellationToken)
    {
        var servers = new List<RegistryServer>();
        try
        {
            for (var i = 0; i < builds.Count; i++)
            {
                var server = await RegistryServer.StartAsync(builds[i], Path.Combine(work, $"side-by-side-{i}"), cancellationToken);
                servers.Add(server);
                await RegistrySetup.RegisterAsync(server.Client, Scenarios.Register("list"),
                    10 * RequestTemplate.KeysPerGroup, 10 * RequestTemplate.KeysPerGroup + 10, cancellationToken);
                await RegistrySetup.PublishAsync(server.Client, Scenarios.ConfigGetDataId, "timeout=30s\nretries=3\n", cancellationToken);
            }

            await MeasureAsync("List healthy instances (10-instance service)", ping, servers, Scenarios.ListHealthy, cancellationToken, minRatio: 0.7);
            await MeasureAsync("Pick an instance (10-instance service)", ping, servers, Scenarios.Pick, cancellationToken);
            await MeasureAsync("Config get", ping, servers, Scenarios.ConfigGet, cancellationToken);

            var registered = 0L;
            foreach (var instances in options.HeartbeatInstances.Order().SkipLast(1))
            {
                foreach (var server in servers)
                {
                    await RegistrySetup.RegisterAsync(server.Client, Scenarios.Register("beat"), registered, instances, cancellationToken);
                }

                registered = instances;
                await MeasureHeartbeatsAsync(ping, servers, instances, cancellationToken);
            }

            await MeasureAsync("Register (new instance, durable)", ping, servers, Scenarios.Register("reg"), cancellationToken, minRatio: 0.3);
            await MeasureAsync("Config publish (new version, durable)", ping, servers, Scenarios.Publish, cancellationToken, minRatio: 0.15);

            foreach (var subscribers in options.Subscribers)
            {
                foreach (var server in InTurn(servers))
                {
                    await MeasurePushAsync(server, subscribers, cancellationToken);
                }
            }

            foreach (var server in servers)
            {
                await server.StopAsync();
            }
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// One build at a time, so that no other server shares the memory or the CPU of a restart: memory with the
    /// largest instance count, plain and with two metadata fields each; heartbeats over the plain ones; a
    /// restart over those with metadata.
    /// </summary>
    private async Task RunLargeAsync(AppProcess ping, ServerBuild build, string directory, CancellationToken cancellationToken)
    {
        var instances = options.HeartbeatInstances.Max();
        await using (var server = await RegistryServer.StartAsync(build, Path.Combine(directory, "plain"), cancellationToken))
        {
            await MeasureMemoryAsync(server, Scenarios.Register("beat"), "none", instances, cancellationToken);
            await MeasureHeartbeatsAsync(ping, [server], instances, cancellationToken);
            await server.StopAsync();
        }

        var withMetadata = Path.Combine(directory, "metadata");
        await using (var server = await RegistryServer.StartAsync(build, withMetadata, cancellationToken))
        {
            await MeasureMemoryAsync(server, Scenarios.RegisterWithMetadata("meta"), TwoMetadataFields, instances, cancellationToken);
            await server.StopAsync();
        }

        log.WriteLine($"Restart with {instances:N0} instances persisted{Of(build)}...");
        await using (var server = await RegistryServer.StartAsync(build, withMetadata, cancellationToken))
        {
            var startup = await ServerFootprint.MeasureRestartAsync(server, "meta", TwoMetadataFields, instances, cancellationToken);
            _startup.Add(startup);
            log.WriteLine($"  answering after {server.Process.StartedIn.TotalMilliseconds:F0} ms, serving all after {startup.ServingAfter.TotalMilliseconds:F0} ms");
            await server.StopAsync();
        }
    }

    private async Task MeasureMemoryAsync(
        RegistryServer server, RequestTemplate template, string metadata, long instances, CancellationToken cancellationToken)
    {
        log.WriteLine($"Memory with {instances:N0} instances, metadata {metadata}{Of(server.Build)}...");
        var memory = await ServerFootprint.MeasureMemoryAsync(server, template, metadata, instances, options.Quiet, cancellationToken);
        _memory.Add(memory);
        log.WriteLine($"  {memory.BytesPerInstance:F0} bytes per instance ({memory.IdleBytes / 1048576.0:F1} MiB idle, {memory.LoadedBytes / 1048576.0:F1} MiB loaded)");
    }

    private Task MeasureHeartbeatsAsync(AppProcess ping, IReadOnlyList<RegistryServer> servers, long instances, CancellationToken cancellationToken) =>
        MeasureAsync($"Heartbeat, {instances:N0} instances", ping, servers, Scenarios.Heartbeat("beat", instances), cancellationToken,
            minRatio: 0.8, maxP99Ratio: 2);

    private async Task MeasureAsync(
        string scenario, AppProcess ping, IReadOnlyList<RegistryServer> servers, RequestTemplate template, CancellationToken cancellationToken,
        double? minRatio = null, double? maxP99Ratio = null)
    {
        foreach (var server in InTurn(servers))
        {
            log.WriteLine($"{scenario}{Of(server.Build)}...");
            var baseline = await WarmUpAndRunAsync(ping.Address, Scenarios.Ping, cancellationToken);
            var result = await WarmUpAndRunAsync(server.Process.Address, template, cancellationToken);
            var measured = new ThroughputResult(scenario, server.Build.Name, result, baseline, minRatio, maxP99Ratio);
            _throughput.Add(measured);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {result.RequestsPerSecond:F0} req/s (/ping {baseline.RequestsPerSecond:F0}, ratio {measured.Ratio:F2}), p99 {result.P99.TotalMilliseconds:F2} ms, {result.Failed} failed"));
        }
    }

    /// <summary>
    /// Every measured run starts on a process that is compiled, connected and busy, /ping's as much as the
    /// server's: a run after an idle spell would measure the first seconds of tiered compilation and thread
    /// pool growth, and whichever side ran cold would bend the ratio.
    /// </summary>
    private async Task<LoadResult> WarmUpAndRunAsync(Uri address, RequestTemplate template, CancellationToken cancellationToken)
    {
        await generator.RunAsync(address, template.ForWarmUp(), _shape with { Duration = options.WarmUp }, cancellationToken);
        return await generator.RunAsync(address, template, _shape, cancellationToken);
    }

    private async Task MeasurePushAsync(RegistryServer server, int subscribers, CancellationToken cancellationToken)
    {
        log.WriteLine($"Publish to {subscribers:N0} SSE subscribers{Of(server.Build)}...");
        var result = await PushRun.MeasureAsync(server, subscribers, options.Publishes, cancellationToken);
        _push.Add(result);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  delivered {result.Delivered}/{result.Expected}, p50 {result.P50.TotalMilliseconds:F1} ms, p99 {result.P99.TotalMilliseconds:F1} ms, slowest {result.Max.TotalMilliseconds:F1} ms"));
    }

    /// <summary>Which build a log line is about, when there is more than one.</summary>
    private string Of(ServerBuild build) => options.Builds.Count > 1 ? $" ({build.Name})" : "";

    /// <summary>
    /// The builds in turn, the first going first in one scenario and last in the next, so that neither is
    /// always the one measured right after the other's load (its background work, the machine's drift).
    /// </summary>
    private IEnumerable<RegistryServer> InTurn(IReadOnlyList<RegistryServer> servers) =>
        _turn++ % 2 == 0 ? servers : servers.Reverse();
}
