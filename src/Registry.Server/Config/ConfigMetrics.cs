using Prometheus;
using Registry.Server.Infrastructure;

namespace Registry.Server.Config;

internal sealed class ConfigMetrics(MetricRegistry metrics)
{
    public Counter Changes { get; } = metrics.Factory.CreateCounter("registry_config_changes_total", "Config versions written, by op.", ["op"]);
}
