namespace Registry.Benchmarks.Load.Load;

/// <summary>What one generator run measured.</summary>
/// <param name="Requests">Completed requests.</param>
/// <param name="Failed">Requests that failed or answered other than 2xx/3xx.</param>
/// <param name="RequestsPerSecond">Completed requests per second over the run.</param>
/// <param name="P50">Median latency.</param>
/// <param name="P99">99th percentile latency.</param>
internal sealed record LoadResult(long Requests, long Failed, double RequestsPerSecond, TimeSpan P50, TimeSpan P99);

/// <summary>How hard and how long a generator drives the server.</summary>
internal sealed record LoadShape(int Connections, int Threads, TimeSpan Duration);
