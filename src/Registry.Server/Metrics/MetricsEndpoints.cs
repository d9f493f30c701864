using Prometheus;

namespace Registry.Server.Metrics;

internal static class MetricsEndpoints
{
    /// <summary>Request counts and latency histograms per route, in the server's own registry.</summary>
    public static IApplicationBuilder UseRegistryMetrics(this IApplicationBuilder app)
    {
        var registry = app.ApplicationServices.GetRequiredService<RegistryMetrics>().Registry;
        return app.UseHttpMetrics(options => options.SetMetricFactory(Prometheus.Metrics.WithCustomRegistry(registry)));
    }

    /// <summary><c>GET /metrics</c> in the Prometheus text format; like the health endpoints, it needs no token.</summary>
    public static IEndpointRouteBuilder MapRegistryMetrics(this IEndpointRouteBuilder app)
    {
        var registry = app.ServiceProvider.GetRequiredService<RegistryMetrics>().Registry;
        app.MapMetrics(settings => settings.Registry = registry, "/metrics");
        return app;
    }
}
