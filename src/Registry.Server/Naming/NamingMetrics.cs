using Prometheus;
using Registry.Server.Infrastructure;

namespace Registry.Server.Naming;

/// <summary>What happens to instances, counted where it happens.</summary>
internal sealed class NamingMetrics(MetricRegistry metrics)
{
    public Counter Heartbeats { get; } = metrics.Factory.CreateCounter("registry_heartbeats_total", "Heartbeats received.");

    public Counter Registrations { get; } =
        metrics.Factory.CreateCounter("registry_registrations_total", "Registrations that created or changed an instance.");

    public Counter Deregistrations { get; } = metrics.Factory.CreateCounter("registry_deregistrations_total", "Instances deregistered.");

    public Counter Evictions { get; } = metrics.Factory.CreateCounter("registry_evictions_total", "Instances evicted for missing heartbeats.");

    public Counter MarkedUnhealthy { get; } =
        metrics.Factory.CreateCounter("registry_instances_marked_unhealthy_total", "Instances marked unhealthy for missing heartbeats.");

    public Counter Probes { get; } =
        metrics.Factory.CreateCounter("registry_health_probes_total", "Health-check probes of persistent instances, by result.", ["result"]);

    public Counter HealthFlips { get; } = metrics.Factory.CreateCounter(
        "registry_health_check_flips_total", "Healths of persistent instances changed by their health check, by the new health.", ["health"]);
}
