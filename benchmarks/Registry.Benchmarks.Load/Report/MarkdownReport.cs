using System.Globalization;
using System.Text;

namespace Registry.Benchmarks.Load.Report;

/// <summary>
/// Writes the results into a markdown file between two markers, keeping everything else of the file (the
/// hand-written notes on what was changed and what is short).
/// </summary>
internal static class MarkdownReport
{
    public const string Start = "<!-- results: written by benchmarks/Registry.Benchmarks.Load; edit outside these markers -->";
    public const string End = "<!-- results: end -->";

    public static void Write(string path, BenchmarkResults results, string command, DateTimeOffset when)
    {
        var section = Render(results, command, when);
        var existing = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n\n" + Start + "\n" + End + "\n";
        var start = existing.IndexOf(Start, StringComparison.Ordinal);
        var end = existing.IndexOf(End, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidOperationException($"{path} has no results markers; add '{Start}' and '{End}'.");
        }

        var updated = existing[..(start + Start.Length)] + "\n" + section + existing[end..];
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, updated);
    }

    public static string Render(BenchmarkResults results, string command, DateTimeOffset when)
    {
        var text = new StringBuilder();
        var compared = results.Builds.Count > 1;
        Line(text, $"Measured on {when:yyyy-MM-dd} with `{command}`.");
        Line(text);
        Line(text, $"- Machine: {MachineInfo.Describe()}.");
        Line(text, $"- Load: {results.Load}, {results.Shape.Duration.TotalSeconds:0.#} s per measured run, each after a "
            + $"{results.WarmUp.TotalSeconds:0.#} s warm-up (the `/ping` runs too), on loopback. Server and load generator share the machine.");
        Line(text, "- Baseline: `/ping`, bare Kestrel (`CreateSlimBuilder`, logging off, a pre-encoded small JSON written raw; "
            + "`benchmarks/Registry.Benchmarks.Ping`), measured right before each scenario; the ratio is the scenario's requests/s to it.");
        Line(text, "- Server: Release build, LiteDB file store (every write acknowledged only when durable), rate limiting off, auth off.");
        if (compared)
        {
            Line(text, $"- Builds: {string.Join(" and ", results.Builds.Select(b => $"{b.Name} `{b.Version}`"))}. Both run during the "
                + "side-by-side scenarios, each measured after a `/ping` run of its own, the first going first in one scenario and last "
                + "in the next; the largest heartbeat scenario, memory and restart run one build at a time.");
        }

        Line(text);

        Line(text, $"| Scenario |{Header(compared)} Requests/s | p50 | p99 | `/ping` requests/s | `/ping` p99 | Ratio | Target | Met |");
        Line(text, $"|---|{Rule(compared)}---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var row in results.Throughput.GroupBy(r => r.Scenario).SelectMany(g => InBuildOrder(results, g, r => r.Build)))
        {
            var target = string.Join(", ", new[]
            {
                row.MinRatio is { } min ? $"≥ {min:0.##} ×" : null,
                row.MaxP99Ratio is { } max ? $"p99 ≤ {max:0.##} × `/ping`'s (here {row.P99Ratio:F1} ×)" : null,
            }.OfType<string>());
            Line(text, $"| {row.Scenario} |{Cell(compared, row.Build)} {row.Result.RequestsPerSecond:N0} | {Ms(row.Result.P50)} | {Ms(row.Result.P99)} "
                + $"| {row.Baseline.RequestsPerSecond:N0} | {Ms(row.Baseline.P99)} | {row.Ratio:F2} | {Or(target)} | {Met(row.Met)}"
                + (row.Result.Failed > 0 ? $" ({row.Result.Failed:N0} failed)" : "") + " |");
        }

        if (results.Push.Count > 0)
        {
            Line(text);
            Line(text, "Publish → SSE delivery: one config key watched by every subscriber (raw sockets); latency from the publish's "
                + "acknowledgement (durable) to each subscriber reading the event; one unmeasured publish first.");
            Line(text);
            Line(text, $"| Subscribers |{Header(compared)} Publishes | Delivered | p50 | p99 | Slowest | Target | Met |");
            Line(text, $"|---:|{Rule(compared)}---:|---:|---:|---:|---:|---|---|");
            foreach (var row in results.Push.GroupBy(r => r.Subscribers).SelectMany(g => InBuildOrder(results, g, r => r.Build)))
            {
                Line(text, $"| {row.Subscribers:N0} |{Cell(compared, row.Build)} {row.Publishes} | {row.Delivered:N0} / {row.Expected:N0} "
                    + $"| {Ms(row.P50)} | {Ms(row.P99)} | {Ms(row.Max)} | p99 < {PushResult.TargetP99.TotalSeconds:0} s | {Met(row.Met)} |");
            }
        }

        if (results.Memory.Count > 0)
        {
            Line(text);
            Line(text, "Memory: resident set (VmRSS) of a server with the first tenth of the instances registered (at most 1,000, so "
                + $"it has served), then with all of them, each time after {results.Memory[0].Quiet.TotalSeconds:0.#} s of quiet; bytes per instance is the growth over the "
                + "instances in between. The managed heap from `dotnet_total_memory_bytes`. Metadata, where there is some: "
                + "`{\"zone\":\"z<k%3>\",\"version\":\"v<k%5>\"}` for instance k.");
            Line(text);
            Line(text, $"| Instances | Metadata |{Header(compared)} RSS idle | RSS loaded | Bytes per instance | Managed heap idle → loaded | Target | Met |");
            Line(text, $"|---:|---|{Rule(compared)}---:|---:|---:|---:|---|---|");
            foreach (var row in results.Memory.GroupBy(r => r.Metadata).SelectMany(g => InBuildOrder(results, g, r => r.Build)))
            {
                Line(text, $"| {row.Instances:N0} | {row.Metadata} |{Cell(compared, row.Build)} {MiB(row.IdleBytes)} | {MiB(row.LoadedBytes)} "
                    + $"| {row.BytesPerInstance:N0} | {MiB(row.ManagedIdleBytes)} → {MiB(row.ManagedLoadedBytes)} "
                    + $"| < {MemoryResult.TargetBytesPerInstance:N0} | {Met(row.Met)} |");
            }
        }

        if (results.Startup.Count > 0)
        {
            Line(text);
            Line(text, "Restart: the server holding the instances is stopped (SIGTERM) and started again over its LiteDB file; from "
                + "starting the process until it serves every instance (the first and the last service list all of theirs and the "
                + "`registry_instances` gauge counts them all, asked every 10 ms).");
            Line(text);
            Line(text, $"| Instances persisted | Metadata |{Header(compared)} Serving all after | Store loaded in (server log) | Target | Met |");
            Line(text, $"|---:|---|{Rule(compared)}---:|---:|---|---|");
            foreach (var row in InBuildOrder(results, results.Startup, r => r.Build))
            {
                Line(text, $"| {row.Instances:N0} | {row.Metadata} |{Cell(compared, row.Build)} {Ms(row.ServingAfter)} "
                    + $"| {(row.LoadedIn is { } loaded ? Ms(loaded) : "–")} | < {StartupResult.Target.TotalSeconds:0} s | {Met(row.Met)} |");
            }
        }

        Line(text);
        return text.ToString();
    }

    private static IEnumerable<T> InBuildOrder<T>(BenchmarkResults results, IEnumerable<T> rows, Func<T, string> build) =>
        rows.OrderBy(row => results.Builds.Select(b => b.Name).ToList().IndexOf(build(row)));

    // A build column only when builds are compared, so a run of one build reads as it always has.
    private static string Header(bool compared) => compared ? " Build |" : "";

    private static string Rule(bool compared) => compared ? "---|" : "";

    private static string Cell(bool compared, string build) => compared ? $" {build} |" : "";

    private static string Ms(TimeSpan value) => value.TotalMilliseconds switch
    {
        >= 100 => string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:F0} ms"),
        >= 10 => string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:F1} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:F2} ms"),
    };

    private static string MiB(double? bytes) =>
        bytes is { } value ? string.Create(CultureInfo.InvariantCulture, $"{value / 1048576:F1} MiB") : "–";

    private static string Met(bool? met) => met switch
    {
        true => "yes",
        false => "**no**",
        null => "",
    };

    private static string Or(string text) => text.Length == 0 ? "–" : text;

    private static void Line(StringBuilder text, string line = "") => text.Append(line).Append('\n');
}
