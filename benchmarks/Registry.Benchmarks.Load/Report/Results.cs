using Registry.Benchmarks.Load.Load;

namespace Registry.Benchmarks.Load.Report;

/// <summary>A load scenario's result beside the /ping baseline measured just before it.</summary>
/// <param name="MinRatio">The target: requests/s at least this share of the baseline's.</param>
/// <param name="MaxP99Ratio">The target, where there is one: p99 at most this multiple of the baseline's.</param>
internal sealed record ThroughputResult(
    string Scenario, LoadResult Result, LoadResult Baseline, double? MinRatio = null, double? MaxP99Ratio = null)
{
    public double Ratio => Result.RequestsPerSecond / Baseline.RequestsPerSecond;

    public double P99Ratio => Result.P99.TotalMilliseconds / Math.Max(Baseline.P99.TotalMilliseconds, 0.001);

    public bool? Met => MinRatio is null && MaxP99Ratio is null
        ? null
        : Result.Failed == 0 && (MinRatio is not { } min || Ratio >= min) && (MaxP99Ratio is not { } max || P99Ratio <= max);
}

/// <summary>Publishes to one key watched by many SSE subscribers: latency from the publish's acknowledgement to each receipt.</summary>
internal sealed record PushResult(int Subscribers, int Publishes, long Delivered, TimeSpan P50, TimeSpan P99, TimeSpan Max)
{
    public static readonly TimeSpan TargetP99 = TimeSpan.FromSeconds(1);

    public long Expected => (long)Subscribers * Publishes;

    public bool Met => Delivered == Expected && P99 < TargetP99;
}

/// <summary>Resident memory of an idle server and of the same server holding <paramref name="Instances"/> instances.</summary>
internal sealed record MemoryResult(long Instances, long IdleBytes, long LoadedBytes, double? ManagedIdleBytes, double? ManagedLoadedBytes)
{
    public const double TargetBytesPerInstance = 1024;

    public double BytesPerInstance => (LoadedBytes - IdleBytes) / (double)Instances;

    public bool Met => BytesPerInstance < TargetBytesPerInstance;
}

/// <summary>A restart over a store holding <paramref name="Instances"/> instances.</summary>
/// <param name="ServingAfter">From starting the process to its first answer, with every instance loaded.</param>
/// <param name="LoadedIn">The server's own figure for loading the store, from its log.</param>
internal sealed record StartupResult(long Instances, TimeSpan ServingAfter, TimeSpan? LoadedIn)
{
    public static readonly TimeSpan Target = TimeSpan.FromSeconds(5);

    public bool Met => ServingAfter < Target;
}

/// <summary>Everything one run measured.</summary>
internal sealed record BenchmarkResults(
    string Generator, LoadShape Shape, IReadOnlyList<ThroughputResult> Throughput, IReadOnlyList<PushResult> Push,
    MemoryResult? Memory, StartupResult? Startup);
