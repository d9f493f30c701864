using Registry.Benchmarks.Load.Hosting;
using Registry.Benchmarks.Load.Load;

namespace Registry.Benchmarks.Load.Report;

/// <summary>A load scenario's result on one build beside the /ping baseline measured just before it.</summary>
/// <param name="Build">The <see cref="ServerBuild.Name"/> it ran on.</param>
/// <param name="MinRatio">The target: requests/s at least this share of the baseline's.</param>
/// <param name="MaxP99Ratio">The target, where there is one: p99 at most this multiple of the baseline's.</param>
internal sealed record ThroughputResult(
    string Scenario, string Build, LoadResult Result, LoadResult Baseline, double? MinRatio = null, double? MaxP99Ratio = null)
{
    public double Ratio => Result.RequestsPerSecond / Baseline.RequestsPerSecond;

    public double P99Ratio => Result.P99.TotalMilliseconds / Math.Max(Baseline.P99.TotalMilliseconds, 0.001);

    public bool? Met => MinRatio is null && MaxP99Ratio is null
        ? null
        : Result.Failed == 0 && (MinRatio is not { } min || Ratio >= min) && (MaxP99Ratio is not { } max || P99Ratio <= max);
}

/// <summary>Publishes to one key watched by many SSE subscribers: latency from the publish's acknowledgement to each receipt.</summary>
internal sealed record PushResult(string Build, int Subscribers, int Publishes, long Delivered, TimeSpan P50, TimeSpan P99, TimeSpan Max)
{
    public static readonly TimeSpan TargetP99 = TimeSpan.FromSeconds(1);

    public long Expected => (long)Subscribers * Publishes;

    public bool Met => Delivered == Expected && P99 < TargetP99;
}

/// <summary>
/// Resident memory of a server that has registered a few instances (idle) and of the same server holding
/// <paramref name="Instances"/> (loaded); what an instance costs is the growth over the <paramref name="Grown"/> in between.
/// </summary>
/// <param name="Metadata">What metadata each instance carries, as the report says it.</param>
/// <param name="Quiet">How long the server was left alone before each reading.</param>
internal sealed record MemoryResult(
    string Build, string Metadata, long Instances, long Grown, TimeSpan Quiet, long IdleBytes, long LoadedBytes, double? ManagedIdleBytes, double? ManagedLoadedBytes)
{
    public const double TargetBytesPerInstance = 1024;

    public double BytesPerInstance => (LoadedBytes - IdleBytes) / (double)Grown;

    public bool Met => BytesPerInstance < TargetBytesPerInstance;
}

/// <summary>A restart over a store holding <paramref name="Instances"/> instances.</summary>
/// <param name="Metadata">What metadata each instance carries, as the report says it.</param>
/// <param name="ServingAfter">From starting the process until it was seen serving every instance.</param>
/// <param name="LoadedIn">The server's own figure for loading the store, from its log, when it logs one.</param>
internal sealed record StartupResult(string Build, long Instances, string Metadata, TimeSpan ServingAfter, TimeSpan? LoadedIn)
{
    public static readonly TimeSpan Target = TimeSpan.FromSeconds(5);

    public bool Met => ServingAfter < Target;
}

/// <summary>Everything one run measured, on one build or on several side by side.</summary>
/// <param name="Load">The generator and how it drives the server.</param>
internal sealed record BenchmarkResults(
    string Load, LoadShape Shape, TimeSpan WarmUp, IReadOnlyList<ServerBuild> Builds, IReadOnlyList<ThroughputResult> Throughput,
    IReadOnlyList<PushResult> Push, IReadOnlyList<MemoryResult> Memory, IReadOnlyList<StartupResult> Startup);
