using System.Diagnostics;
using Registry.Benchmarks.Load.Hosting;
using Registry.Benchmarks.Load.Report;

namespace Registry.Benchmarks.Load.Push;

/// <summary>
/// One push scenario: publishes to a key watched by every subscriber, one at a time, each timed from its
/// acknowledgement (durable) to each subscriber reading it.
/// </summary>
internal static class PushRun
{
    public static Task<PushResult> MeasureAsync(RegistryServer server, int subscribers, int publishes, CancellationToken cancellationToken) =>
        MeasureAsync(server, server, subscribers, publishes, cancellationToken);

    /// <summary>Publishes through <paramref name="publisher"/> to subscribers of <paramref name="watched"/> (another node of a cluster).</summary>
    public static async Task<PushResult> MeasureAsync(
        RegistryServer publisher, RegistryServer watched, int subscribers, int publishes, CancellationToken cancellationToken)
    {
        var server = publisher;

        // A key of its own per scenario, so nothing a watch might be sent at connect carries a marker of another.
        var dataId = $"{Scenarios.PushDataId}-{subscribers}";

        // Publish 0 is the warm-up: it creates the key and takes the fan-out's first pass, and is not counted.
        await using var watchers = await SseSubscribers.ConnectAsync(
            watched.Process.Address, $"/v1/configs/watch?dataId={dataId}", subscribers, publishes + 1, cancellationToken);
        var latencies = new List<double>();
        for (var publish = 0; publish <= publishes; publish++)
        {
            await RegistrySetup.PublishAsync(server.Client, dataId, $"@push#{publish}# to {subscribers}", cancellationToken);
            var acknowledged = Stopwatch.GetTimestamp();
            await watchers.WaitForAsync(publish, TimeSpan.FromSeconds(30), cancellationToken);
            if (publish > 0)
            {
                latencies.AddRange(watchers.ReceivedAt(publish).Where(at => at != 0)
                    .Select(at => Math.Max(0, Stopwatch.GetElapsedTime(acknowledged, at).TotalMilliseconds)));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        latencies.Sort();
        return new PushResult(server.Build.Name, subscribers, publishes, latencies.Count,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Count == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(latencies[^1]));
    }

    private static TimeSpan Percentile(List<double> sortedMilliseconds, double quantile) =>
        sortedMilliseconds.Count == 0
            ? TimeSpan.Zero
            : TimeSpan.FromMilliseconds(sortedMilliseconds[(int)Math.Min(sortedMilliseconds.Count - 1, Math.Ceiling(quantile * sortedMilliseconds.Count) - 1)]);
}
