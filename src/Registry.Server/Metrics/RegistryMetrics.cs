using Prometheus;
using Registry.Server.Config;
using Registry.Server.Events;
using Registry.Server.Naming;

namespace Registry.Server.Metrics;

/// <summary>
/// The server's Prometheus metrics, in a registry of its own (so several servers in one process, as in
/// tests, never share counters). Counters are bumped where things happen; gauges are read from the model
/// at each scrape.
/// </summary>
internal sealed class RegistryMetrics
{
    private readonly NamingRegistry _naming;
    private readonly ConfigRegistry _configs;
    private readonly SelfPreservation _selfPreservation;
    private readonly ChangeFeed _feed;
    private readonly Gauge _instances;
    private readonly Gauge _services;
    private readonly Gauge _configItems;
    private readonly Gauge _selfPreservationActive;
    private readonly Gauge _selfPreservationHeld;
    private readonly Gauge _subscribers;
    private readonly Gauge _revision;

    public RegistryMetrics(NamingRegistry naming, ConfigRegistry configs, SelfPreservation selfPreservation, ChangeFeed feed)
    {
        (_naming, _configs, _selfPreservation, _feed) = (naming, configs, selfPreservation, feed);
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);

        // No exemplars: reading the trace context on every observation costs more than the hot paths it measures.
        factory.ExemplarBehavior = new ExemplarBehavior { DefaultExemplarProvider = (_, _) => Exemplar.None };
        Heartbeats = factory.CreateCounter("registry_heartbeats_total", "Heartbeats received.");
        Registrations = factory.CreateCounter("registry_registrations_total", "Registrations that created or changed an instance.");
        Deregistrations = factory.CreateCounter("registry_deregistrations_total", "Instances deregistered.");
        Evictions = factory.CreateCounter("registry_evictions_total", "Instances evicted for missing heartbeats.");
        MarkedUnhealthy = factory.CreateCounter("registry_instances_marked_unhealthy_total", "Instances marked unhealthy for missing heartbeats.");
        ConfigChanges = factory.CreateCounter("registry_config_changes_total", "Config versions written, by op.", "op");
        Commits = factory.CreateHistogram("registry_store_commit_seconds", "Time to make one group-commit batch durable.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });
        CommitWrites = factory.CreateHistogram("registry_store_commit_writes", "Documents written per group-commit batch.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 14) });
        CommitFailures = factory.CreateCounter("registry_store_commit_failures_total", "Batches the store could not make durable.");
        HttpRequests = new HttpRequestMetrics(factory);
        AuditDropped = factory.CreateCounter("registry_audit_dropped_total", "Auth failures not written to the audit log because its buffer was full.");
        _instances = factory.CreateGauge("registry_instances", "Registered instances by namespace and health.", "namespace", "health");
        _services = factory.CreateGauge("registry_services", "Services by namespace.", "namespace");
        _configItems = factory.CreateGauge("registry_config_items", "Live config items by namespace.", "namespace");
        _selfPreservationActive = factory.CreateGauge("registry_self_preservation_active", "1 while evictions are held back.");
        _selfPreservationHeld = factory.CreateGauge("registry_self_preservation_held_instances", "Expired instances kept by self-preservation.");
        _subscribers = factory.CreateGauge("registry_sse_subscribers", "Open server-sent event streams and long polls.");
        _revision = factory.CreateGauge("registry_revision", "The last revision published on the change feed.");
        DotNetStats.Register(Registry);
        Registry.AddBeforeCollectCallback(Update);
    }

    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    public Counter Heartbeats { get; }
    public Counter Registrations { get; }
    public Counter Deregistrations { get; }
    public Counter Evictions { get; }
    public Counter MarkedUnhealthy { get; }
    public Counter ConfigChanges { get; }
    public Histogram Commits { get; }
    public Histogram CommitWrites { get; }
    public Counter CommitFailures { get; }
    public Counter AuditDropped { get; }
    public HttpRequestMetrics HttpRequests { get; }

    private void Update()
    {
        var byNamespace = _naming.Services.GroupBy(s => s.Key.Namespace, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var ns in _naming.Namespaces.Select(n => n.Id).Union(byNamespace.Keys))
        {
            var services = byNamespace.GetValueOrDefault(ns) ?? [];
            var instances = services.SelectMany(s => s.View().Instances).ToList();
            _instances.WithLabels(ns, "healthy").Set(instances.Count(i => i.Healthy));
            _instances.WithLabels(ns, "unhealthy").Set(instances.Count(i => !i.Healthy));
            _services.WithLabels(ns).Set(services.Count);
        }

        foreach (var group in _configs.All.Where(c => !c.Value.Deleted).GroupBy(c => c.Key.Namespace, StringComparer.Ordinal))
        {
            _configItems.WithLabels(group.Key).Set(group.Count());
        }

        var state = _selfPreservation.State;
        _selfPreservationActive.Set(state.Active ? 1 : 0);
        _selfPreservationHeld.Set(state.HeldInstances);
        _subscribers.Set(_feed.SubscriberCount);
        _revision.Set(_feed.Revision);
    }
}
