using System.Globalization;
using System.Text;
using Registry.Benchmarks.Load.Report;

namespace Registry.Benchmarks.Load.HealthChecks;

/// <summary>The results of health-check mode as markdown, for <c>docs/benchmarks-health-checks.md</c>.</summary>
internal static class HealthCheckReport
{
    public static string Render(HealthCheckResults results, string command, DateTimeOffset at)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        var steady = results.Steady;
        var interval = results.Interval.TotalSeconds;
        text.AppendLine("# Benchmarks: health checks").AppendLine();
        text.AppendLine(c, $"One server and bare Kestrel's /ping as the checked target, on one machine ({MachineInfo.Describe()}), measured {at:yyyy-MM-dd}.");
        text.AppendLine(c, $"{results.Instances:N0} persistent instances, a hundred a service, each checked by an HTTP GET of /ping every {interval:F0} s");
        text.AppendLine("(the defaults otherwise: 2 of them pass to become healthy, 3 fail to become unhealthy, 64 probes in flight at most).");
        text.AppendLine("Each probe opens a connection of its own, and the target shares the machine's cores with the server.");
        text.AppendLine("The steady state is three intervals with every instance healthy; CPU is the server's own time over the wall time.").AppendLine();
        text.AppendLine("Reproduce:").AppendLine().AppendLine("```bash").AppendLine(command).AppendLine("```").AppendLine();

        text.AppendLine("| Measure | Value |");
        text.AppendLine("|---|---:|");
        text.AppendLine(c, $"| Every instance healthy, from the first registration | {results.AllHealthyAfter.TotalSeconds:F1} s (2 intervals: {2 * interval:F0} s) |");
        text.AppendLine(c, $"| Probes a second, steady | {steady.ProbesPerSecond:F0} of {steady.ExpectedPerSecond:F0} called for ({steady.ProbesPerSecond / steady.ExpectedPerSecond:P0}) |");
        text.AppendLine(c, $"| Probes that failed, steady | {steady.Failed:F0} |");
        text.AppendLine(c, $"| Server CPU, steady | {steady.CpuShare:P0} of one core |");
        text.AppendLine(c, $"| Server threads: idle, then checking | {steady.IdleThreads} → {steady.Threads} |");
        text.AppendLine(c, $"| Server memory, checking: resident, managed heap | {steady.ResidentBytes / 1048576.0:F0} MiB, {steady.HeapBytes / 1048576.0:F0} MiB |");
        text.AppendLine(c, $"| Every instance unhealthy, from stopping the target | {results.AllUnhealthyAfter.TotalSeconds:F1} s (3 intervals: {3 * interval:F0} s) |");
        return text.ToString();
    }
}
