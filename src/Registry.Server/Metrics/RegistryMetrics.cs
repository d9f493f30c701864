using Prometheus;
using Registry.Server.Config;
using Registry.Server.Events;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Naming;

namespace Registry.Server.Metrics;

/// <summary>
/// The gauges of <c>/metrics</c>, read from the projections at each scrape; the counters live with the features
/// that bump them, in the same <see cref="MetricRegistry"/>.
/// </summary>
internal sealed class RegistryMetrics
{
    private readonly ServiceTable _services;
    private readonly ConfigTable _configs;
    private readonly SelfPreservation _selfPreservation;
    private readonly ChangeFeed _feed;
    private readonly IChangeLog _log;
    private readonly Gauge _instances;
    private readonly Gauge _serviceCount;
    private readonly Gauge _configItems;
    private readonly Gauge _selfPreservationActive;
    private readonly Gauge _selfPreservationHeld;
    private readonly Gauge _subscribers;
    private readonly Gauge _revision;

    public RegistryMetrics(
        MetricRegistry metrics, ServiceTable services, ConfigTable configs, SelfPreservation selfPreservation, ChangeFeed feed, IChangeLog log)
    {
        (_services, _configs, _selfPreservation, _feed, _log) = (services, configs, selfPreservation, feed, log);
        Registry = metrics.Registry;
        var factory = metrics.Factory;
        HttpRequests = new HttpRequestMetrics(factory);
        _instances = factory.CreateGauge("registry_instances", "Registered instances by namespace and health.", ["namespace", "health"]);
        _serviceCount = factory.CreateGauge("registry_services", "Services by namespace.", ["namespace"]);
        _configItems = factory.CreateGauge("registry_config_items", "Live config items by namespace.", ["namespace"]);
        _selfPreservationActive = factory.CreateGauge("registry_self_preservation_active", "1 while evictions are held back.");
        _selfPreservationHeld = factory.CreateGauge("registry_self_preservation_held_instances", "Expired instances kept by self-preservation.");
        _subscribers = factory.CreateGauge("registry_sse_subscribers", "Open server-sent event streams and long polls.");
        _revision = factory.CreateGauge("registry_revision", "The last revision applied.");
        DotNetStats.Register(Registry);
        Registry.AddBeforeCollectCallback(Update);
    }

    public CollectorRegistry Registry { get; }

    public HttpRequestMetrics HttpRequests { get; }

    private void Update()
    {
        // Counts kept as changes are applied: a scrape costs a line per namespace, not a walk over everything.
        foreach (var (ns, counts) in _services.Tallies)
        {
            _instances.WithLabels(ns, "healthy").Set(counts.Healthy);
            _instances.WithLabels(ns, "unhealthy").Set(counts.Instances - counts.Healthy);
            _serviceCount.WithLabels(ns).Set(counts.Services);
        }

        foreach (var (ns, live) in _configs.LiveByNamespace)
        {
            _configItems.WithLabels(ns).Set(live);
        }

        var state = _selfPreservation.State;
        _selfPreservationActive.Set(state.Active ? 1 : 0);
        _selfPreservationHeld.Set(state.HeldInstances);
        _subscribers.Set(_feed.SubscriberCount);
        _revision.Set(_log.Revision);
    }
}
