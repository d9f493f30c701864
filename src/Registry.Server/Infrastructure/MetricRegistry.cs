using Prometheus;

namespace Registry.Server.Infrastructure;

/// <summary>
/// The server's Prometheus registry, its own (so several servers in one process, as in tests, never share
/// counters). Each feature creates the counters it bumps from <see cref="Factory"/>; the metrics endpoint serves them.
/// </summary>
internal sealed class MetricRegistry
{
    public MetricRegistry()
    {
        // The library's default metrics listen to every meter and event counter in the process (the HTTP server's
        // per-request instruments among them), for a registry this server never serves.
        Prometheus.Metrics.SuppressDefaultMetrics();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);

        // No exemplars: reading the trace context on every observation costs more than the hot paths it measures.
        factory.ExemplarBehavior = new ExemplarBehavior { DefaultExemplarProvider = (_, _) => Exemplar.None };
        Factory = factory;
    }

    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    public IMetricFactory Factory { get; }
}
