using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Registry.Benchmarks.Load.Hosting;

namespace Registry.Benchmarks.Load.Cluster;

/// <summary>How long a watcher whose node is killed goes without events, and whether it lost or repeated any.</summary>
/// <param name="Elapsed">From the kill to the first event read from the other node.</param>
internal sealed record FailoverResult(TimeSpan Elapsed, int Acknowledged, int Missed, int Repeated)
{
    public bool Met => Missed == 0 && Repeated == 0;
}

/// <summary>
/// A watcher of one key on a node, a publisher writing to it every 20 ms through another node; the watcher's node is
/// killed (SIGKILL), and the watcher reconnects at once to a third node with the last event id it read, as a client
/// with a list of nodes does.
/// </summary>
internal static class WatcherFailover
{
    private const string Path = "/v1/configs/watch?dataId=bench-failover";

    public static async Task<FailoverResult> MeasureAsync(
        RegistryServer publisher, RegistryServer doomed, RegistryServer survivor, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var acknowledged = new ConcurrentBag<long>();
        var seen = new ConcurrentQueue<long>();
        long killedAt = 0, resumedAt = 0;
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var publishing = Task.Run(async () =>
        {
            // Publishes from before the watch began are not for it.
            await subscribed.Task;
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                using var response = await publisher.Client.PutAsync(
                    "/v1/configs/bench-failover?format=text", new StringContent($"n={i}"), CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    acknowledged.Add(long.Parse(response.Headers.GetValues("X-Registry-Revision").First(), CultureInfo.InvariantCulture));
                }

                await Task.Delay(20, CancellationToken.None);
            }
        }, CancellationToken.None);

        var watching = Task.Run(async () =>
        {
            string? lastId = null;
            foreach (var node in new[] { doomed, survivor })
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node.Process.Address, Path));
                    if (lastId is not null)
                    {
                        request.Headers.Add("Last-Event-ID", lastId);
                    }

                    using var client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stopWatching.Token);
                    subscribed.TrySetResult();
                    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stopWatching.Token));
                    while (await reader.ReadLineAsync(stopWatching.Token) is { } line)
                    {
                        if (line.StartsWith("id:", StringComparison.Ordinal))
                        {
                            lastId = line[3..].Trim();
                            seen.Enqueue(long.Parse(lastId, CultureInfo.InvariantCulture));
                            if (node == survivor && resumedAt == 0)
                            {
                                resumedAt = Stopwatch.GetTimestamp();
                            }
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException)
                {
                    // Its node died: on to the next.
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }, CancellationToken.None);

        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        killedAt = Stopwatch.GetTimestamp();
        await doomed.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        await stop.CancelAsync();
        await publishing;

        // Whatever was acknowledged before the stop reaches the watcher too.
        var last = acknowledged.Max();
        using var settle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        settle.CancelAfter(TimeSpan.FromSeconds(10));
        while (!seen.Contains(last) && !settle.IsCancellationRequested)
        {
            await Task.Delay(50, CancellationToken.None);
        }

        await stopWatching.CancelAsync();
        await watching;
        var events = seen.ToList();
        return new FailoverResult(
            resumedAt == 0 ? TimeSpan.MaxValue : Stopwatch.GetElapsedTime(killedAt, resumedAt),
            acknowledged.Count,
            acknowledged.Count(revision => !events.Contains(revision)),
            events.Count - events.Distinct().Count());
    }
}
