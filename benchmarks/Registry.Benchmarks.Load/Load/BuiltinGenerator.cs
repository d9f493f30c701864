using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Registry.Benchmarks.Load.Load;

/// <summary>
/// The load generator written in C#: HttpClient on SocketsHttpHandler, one worker per keep-alive HTTP/1.1
/// connection, each sending its next request when the last one has answered. It needs nothing installed, so
/// the CI smoke run uses it; wrk costs less CPU per request and is preferred for the published figures.
/// </summary>
internal sealed class BuiltinGenerator : ILoadGenerator
{
    public string Description => "built-in (HttpClient on SocketsHttpHandler)";

    public string Describe(LoadShape shape) => $"{Description}, {shape.Connections} keep-alive connections";

    public async Task<LoadResult> RunAsync(Uri server, RequestTemplate template, LoadShape shape, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = shape.Connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        using var client = new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };

        var counter = -1L;
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(shape.Duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, shape.Connections)
            .Select(_ => Task.Run(() => WorkAsync(client, template, () => Interlocked.Increment(ref counter), deadline, cancellationToken),
                cancellationToken))
            .ToArray();
        var results = await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var latencies = results.SelectMany(r => r.Latencies).Order().ToArray();
        var completed = latencies.LongLength;
        return new LoadResult(
            completed,
            results.Sum(r => r.Failed),
            completed / elapsed.TotalSeconds,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99));
    }

    private static async Task<WorkerResult> WorkAsync(
        HttpClient client, RequestTemplate template, Func<long> next, long deadline, CancellationToken cancellationToken)
    {
        var latencies = new List<long>(capacity: 16_384);
        var failed = 0L;
        while (Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
        {
            var k = template.Key(next());
            using var request = new HttpRequestMessage(new HttpMethod(template.Method), template.RenderPath(k));
            if (template.RenderBody(k) is { } body)
            {
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(template.ContentType ?? "application/json");
            }

            var sent = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
                latencies.Add(Stopwatch.GetTimestamp() - sent);
                if ((int)response.StatusCode >= 400)
                {
                    failed++;
                }
            }
            catch (HttpRequestException)
            {
                failed++;
            }
        }

        return new WorkerResult(latencies, failed);
    }

    private static TimeSpan Percentile(long[] sortedTicks, double quantile) =>
        sortedTicks.Length == 0
            ? TimeSpan.Zero
            : Stopwatch.GetElapsedTime(0, sortedTicks[(int)Math.Min(sortedTicks.Length - 1, Math.Ceiling(quantile * sortedTicks.Length) - 1)]);

    private sealed record WorkerResult(List<long> Latencies, long Failed);
}
