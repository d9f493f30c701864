using Prometheus;
using Registry.Server.Infrastructure;

namespace Registry.Server.Storage;

/// <summary>How the local log's group commits go.</summary>
internal sealed class StoreMetrics(MetricRegistry metrics)
{
    public Histogram Commits { get; } = metrics.Factory.CreateHistogram(
        "registry_store_commit_seconds", "Time to make one group-commit batch durable.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });

    public Histogram CommitWrites { get; } = metrics.Factory.CreateHistogram(
        "registry_store_commit_writes", "Entries made durable per group-commit batch.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 14) });

    public Counter CommitFailures { get; } = metrics.Factory.CreateCounter(
        "registry_store_commit_failures_total", "Batches the store could not make durable.");
}
