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
        Line(text, $"Measured on {when:yyyy-MM-dd} with `{command}`.");
        Line(text);
        Line(text, $"- Machine: {MachineInfo.Describe()}.");
        Line(text, $"- Load: {results.Generator}, {results.Shape.Connections} keep-alive connections, {results.Shape.Threads} threads, "
            + $"{results.Shape.Duration.TotalSeconds:F0} s per measured run after a warm-up, on loopback. Server and load generator share the machine.");
        Line(text, "- Baseline: `/ping`, a bare Kestrel Minimal API endpoint returning a small JSON "
            + "(`benchmarks/Registry.Benchmarks.Ping`), measured right before each scenario; the ratio is the scenario's requests/s to it.");
        Line(text, "- Server: Release build, LiteDB file store (every write acknowledged only when durable), rate limiting off, auth off.");
        Line(text);

        Line(text, "| Scenario | Requests/s | p50 | p99 | `/ping` requests/s | `/ping` p99 | Ratio | Target | Met |");
        Line(text, "|---|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var row in results.Throughput)
        {
            var target = string.Join(", ", new[]
            {
                row.MinRatio is { } min ? $"≥ {min:0.##} ×" : null,
                row.MaxP99Ratio is { } max ? $"p99 ≤ {max:0.##} × `/ping`'s (here {row.P99Ratio:F1} ×)" : null,
            }.OfType<string>());
            Line(text, $"| {row.Scenario} | {row.Result.RequestsPerSecond:N0} | {Ms(row.Result.P50)} | {Ms(row.Result.P99)} "
                + $"| {row.Baseline.RequestsPerSecond:N0} | {Ms(row.Baseline.P99)} | {row.Ratio:F2} | {Or(target)} | {Met(row.Met)}"
                + (row.Result.Failed > 0 ? $" ({row.Result.Failed:N0} failed)" : "") + " |");
        }

        if (results.Push.Count > 0)
        {
            Line(text);
            Line(text, "Publish → SSE delivery: one config key watched by every subscriber (raw sockets); latency from the publish's "
                + "acknowledgement (durable) to each subscriber reading the event.");
            Line(text);
            Line(text, "| Subscribers | Publishes | Delivered | p50 | p99 | Slowest | Target | Met |");
            Line(text, "|---:|---:|---:|---:|---:|---:|---|---|");
            foreach (var row in results.Push)
            {
                Line(text, $"| {row.Subscribers:N0} | {row.Publishes} | {row.Delivered:N0} / {row.Expected:N0} | {Ms(row.P50)} | {Ms(row.P99)} "
                    + $"| {Ms(row.Max)} | p99 < {PushResult.TargetP99.TotalSeconds:0} s | {Met(row.Met)} |");
            }
        }

        if (results.Memory is { } memory)
        {
            Line(text);
            Line(text, "Memory: resident set (VmRSS) of a server that has served a little, then with the instances registered, "
                + "each time after 3 s of quiet; the managed heap from `dotnet_total_memory_bytes`.");
            Line(text);
            Line(text, "| Instances | RSS idle | RSS loaded | Bytes per instance | Managed heap idle → loaded | Target | Met |");
            Line(text, "|---:|---:|---:|---:|---:|---|---|");
            Line(text, $"| {memory.Instances:N0} | {MiB(memory.IdleBytes)} | {MiB(memory.LoadedBytes)} | {memory.BytesPerInstance:N0} "
                + $"| {MiB(memory.ManagedIdleBytes)} → {MiB(memory.ManagedLoadedBytes)} | < {MemoryResult.TargetBytesPerInstance:N0} | {Met(memory.Met)} |");
        }

        if (results.Startup is { } startup)
        {
            Line(text);
            Line(text, "Start-up: a restart (after SIGTERM) over the LiteDB file holding the instances; from starting the process to its "
                + "first answer, every instance loaded (the store is loaded before the server listens).");
            Line(text);
            Line(text, "| Instances persisted | Serving after | Store loaded in (server log) | Target | Met |");
            Line(text, "|---:|---:|---:|---|---|");
            Line(text, $"| {startup.Instances:N0} | {Ms(startup.ServingAfter)} | {(startup.LoadedIn is { } loaded ? Ms(loaded) : "–")} "
                + $"| < {StartupResult.Target.TotalSeconds:0} s | {Met(startup.Met)} |");
        }

        Line(text);
        return text.ToString();
    }

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
