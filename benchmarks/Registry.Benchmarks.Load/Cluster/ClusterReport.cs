using System.Globalization;
using System.Text;
using Registry.Benchmarks.Load.Report;

namespace Registry.Benchmarks.Load.Cluster;

/// <summary>The results of cluster mode as markdown, for <c>docs/benchmarks-cluster.md</c>.</summary>
internal static class ClusterReport
{
    public static string Render(ClusterResults results, string command, DateTimeOffset at)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine("# Benchmarks: cluster mode").AppendLine();
        text.AppendLine(c, $"Three etcd members and three Registry nodes on one machine ({MachineInfo.Describe()}), measured {at:yyyy-MM-dd}.");
        text.AppendLine(c, $"Load generator: {results.Generator}; a {results.WarmUp.TotalSeconds:F0} s warm-up before every measured run.");
        text.AppendLine("Every ratio is of two runs made one right after the other: a durable write against a raw etcd transaction");
        text.AppendLine("of the same shape (through etcd's HTTP gateway, on the same members), a heartbeat against bare Kestrel's /ping.");
        text.AppendLine("Everything shares the same two cores: etcd, the three nodes and the load generator.").AppendLine();
        text.AppendLine("Reproduce:").AppendLine().AppendLine("```bash").AppendLine(command).AppendLine("```").AppendLine();

        text.AppendLine("| Scenario | Registry req/s | Baseline | Baseline req/s | Ratio | Target | p99 | Met |");
        text.AppendLine("|---|---:|---|---:|---:|---:|---:|---|");
        foreach (var (scenario, baseline, result) in results.Throughput)
        {
            text.AppendLine(c,
                $"| {scenario} | {result.Result.RequestsPerSecond:F0} | {baseline} | {result.Baseline.RequestsPerSecond:F0} | {result.Ratio:F2} × | {(result.MinRatio is { } min ? $"≥ {min:F1} ×" : "—")} | {result.Result.P99.TotalMilliseconds:F1} ms | {result.Met switch { true => "yes", false => "no", null => "—" }} |");
        }

        text.AppendLine().AppendLine("| Push across nodes (publish on node 0, watchers on node 1) | Delivered | p50 | p99 | Target p99 | Met |");
        text.AppendLine("|---|---:|---:|---:|---:|---|");
        foreach (var push in results.Push)
        {
            text.AppendLine(c,
                $"| {push.Subscribers:N0} subscribers, {push.Publishes} publishes | {push.Delivered}/{push.Expected} | {push.P50.TotalMilliseconds:F1} ms | {push.P99.TotalMilliseconds:F1} ms | < {PushResult.TargetP99.TotalMilliseconds:F0} ms | {(push.Met ? "yes" : "no")} |");
        }

        var failover = results.Failover;
        text.AppendLine().AppendLine("| Watcher fail-over (its node killed with SIGKILL, resumed on another with Last-Event-ID) | Value |");
        text.AppendLine("|---|---:|");
        text.AppendLine(c, $"| From the kill to the first event from the other node | {failover.Elapsed.TotalMilliseconds:F0} ms |");
        text.AppendLine(c, $"| Acknowledged publishes during the run | {failover.Acknowledged} |");
        text.AppendLine(c, $"| Missed / repeated by the watcher | {failover.Missed} / {failover.Repeated} |");
        return text.ToString();
    }
}
