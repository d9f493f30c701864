using System.Diagnostics;
using System.Globalization;
using System.Text;
using Registry.Benchmarks.Load.Hosting;
using Registry.Benchmarks.Load.Load;
using Registry.Benchmarks.Load.Push;
using Registry.Benchmarks.Load.Report;

namespace Registry.Benchmarks.Load.Cluster;

/// <summary>
/// Cluster mode: three etcd members and three Registry nodes over them, on this machine. Durable writes are measured
/// beside raw etcd transactions (the engine's limit here), each right after the other; heartbeats on one node beside
/// /ping (they touch no etcd); then the push from a publish on one node to watchers on another, and how long a
/// watcher whose node is killed takes to get events again from another node.
/// </summary>
internal sealed class ClusterRun(BenchmarkOptions options, ILoadGenerator generator, TextWriter log)
{
    private const int Nodes = 3;
    private static readonly string PingAssembly = Path.Combine(AppContext.BaseDirectory, "Registry.Benchmarks.Ping.dll");

    private readonly LoadShape _shape = new(options.Connections, options.Threads, options.Duration);
    private readonly List<ClusterThroughput> _throughput = [];
    private readonly List<PushResult> _push = [];

    public async Task<ClusterResults> RunAsync(CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("registry-bench-cluster-");
        try
        {
            await using var etcd = await EtcdMembers.StartAsync(3, work.FullName, cancellationToken);
            await using var ping = await AppProcess.StartAsync(PingAssembly, work.FullName, [], "/ping", cancellationToken);
            var nodes = new List<RegistryServer>();
            try
            {
                for (var i = 0; i < Nodes; i++)
                {
                    nodes.Add(await RegistryServer.StartAsync(ServerBuild.This, Path.Combine(work.FullName, $"node{i}"), cancellationToken,
                    [
                        "--Registry:Storage:Provider=etcd",
                        $"--Registry:Storage:Etcd:Endpoints={etcd.Endpoints}",
                        "--Registry:Storage:Etcd:MaxRequestBytes=4194304",
                        $"--Registry:Cluster:NodeId=node{i}",
                    ]));
                }

                var raw = RawTransaction(etcd.ClientUrls[0]);
                await MeasureAsync("Register (new instance, durable)", etcd.ClientUrls[0], raw, "raw etcd txn", nodes[0], Scenarios.Register("reg"), 0.5, cancellationToken);
                await MeasureAsync("Config publish (new version, durable, 1,000 keys)", etcd.ClientUrls[0], raw, "raw etcd txn", nodes[0],
                    Scenarios.PublishSpread, 0.5, cancellationToken);

                // Every writer on the same key: each version must follow the one before through etcd, one round trip each.
                await MeasureAsync("Config publish (one hot key, 64 writers)", etcd.ClientUrls[0], raw, "raw etcd txn", nodes[0],
                    Scenarios.Publish, minRatio: null, cancellationToken);

                var instances = options.HeartbeatInstances.Min();
                await RegistrySetup.RegisterAsync(nodes[0].Client, Scenarios.Register("beat"), 0, instances, cancellationToken);
                await MeasureAsync($"Heartbeat, {instances:N0} instances, one node", ping.Address, Scenarios.Ping, "/ping", nodes[0],
                    Scenarios.Heartbeat("beat", instances), 0.8, cancellationToken);

                foreach (var subscribers in options.Subscribers)
                {
                    log.WriteLine($"Publish on node 0 to {subscribers:N0} SSE subscribers on node 1...");
                    var push = await PushRun.MeasureAsync(nodes[0], nodes[1], subscribers, options.Publishes, cancellationToken);
                    _push.Add(push);
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  delivered {push.Delivered}/{push.Expected}, p50 {push.P50.TotalMilliseconds:F1} ms, p99 {push.P99.TotalMilliseconds:F1} ms"));
                }

                log.WriteLine("Watcher fail-over: its node killed, resumed on another...");
                var failover = await WatcherFailover.MeasureAsync(nodes[0], nodes[2], nodes[1], cancellationToken);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  events again after {failover.Elapsed.TotalMilliseconds:F0} ms; {failover.Missed} acknowledged events missed, {failover.Repeated} repeated"));

                return new ClusterResults(generator.Describe(_shape), options.WarmUp, _throughput, _push, failover);
            }
            finally
            {
                foreach (var node in nodes)
                {
                    await node.DisposeAsync();
                }
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// One transaction through etcd's HTTP gateway, shaped as a registration's: a compare of a key's mod revision, then
    /// puts of a marker, a document and a log entry of about the same sizes.
    /// </summary>
    private static RequestTemplate RawTransaction(Uri member)
    {
        static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        var body = System.Text.Json.JsonSerializer.Serialize(new
        {
            compare = new[] { new { key = B64("bench/k/a"), target = "MOD", result = "LESS", mod_revision = long.MaxValue.ToString(CultureInfo.InvariantCulture) } },
            success = new object[]
            {
                new { request_put = new { key = B64("bench/k/a") } },
                new { request_put = new { key = B64("bench/d/a"), value = B64(new string('d', 320)) } },
                new { request_put = new { key = B64("bench/log"), value = B64(new string('e', 360)) } },
            },
        });
        return new RequestTemplate("POST", "/v3/kv/txn", body, "application/json");
    }

    private async Task MeasureAsync(
        string scenario, Uri baselineAddress, RequestTemplate baselineTemplate, string baselineName, RegistryServer node,
        RequestTemplate template, double? minRatio, CancellationToken cancellationToken)
    {
        log.WriteLine($"{scenario}...");
        var baseline = await WarmUpAndRunAsync(baselineAddress, baselineTemplate, cancellationToken);
        var result = await WarmUpAndRunAsync(node.Process.Address, template, cancellationToken);
        var measured = new ClusterThroughput(scenario, baselineName, new ThroughputResult(scenario, node.Build.Name, result, baseline, minRatio));
        _throughput.Add(measured);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {result.RequestsPerSecond:F0} req/s ({baselineName} {baseline.RequestsPerSecond:F0}, ratio {measured.Result.Ratio:F2}), p99 {result.P99.TotalMilliseconds:F2} ms, {result.Failed} failed"));
    }

    private async Task<LoadResult> WarmUpAndRunAsync(Uri address, RequestTemplate template, CancellationToken cancellationToken)
    {
        await generator.RunAsync(address, template.ForWarmUp(), _shape with { Duration = options.WarmUp }, cancellationToken);
        return await generator.RunAsync(address, template, _shape, cancellationToken);
    }
}

/// <summary>A throughput figure of cluster mode, against its own baseline (raw etcd, or /ping).</summary>
internal sealed record ClusterThroughput(string Scenario, string BaselineName, ThroughputResult Result);

internal sealed record ClusterResults(
    string Generator, TimeSpan WarmUp, IReadOnlyList<ClusterThroughput> Throughput, IReadOnlyList<PushResult> Push, FailoverResult Failover);
