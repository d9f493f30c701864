using System.Diagnostics;
using Prometheus;

namespace Registry.Server.Metrics;

internal static class MetricsEndpoints
{
    /// <summary>Request latency histograms per route, method and status code, in the server's own registry.</summary>
    public static IApplicationBuilder UseRegistryMetrics(this IApplicationBuilder app)
    {
        var requests = app.ApplicationServices.GetRequiredService<RegistryMetrics>().HttpRequests;
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                requests.Observe(context, Stopwatch.GetElapsedTime(started));
            }
        });
    }

    /// <summary><c>GET /metrics</c> in the Prometheus text format; like the health endpoints, it needs no token.</summary>
    public static IEndpointRouteBuilder MapRegistryMetrics(this IEndpointRouteBuilder app)
    {
        var registry = app.ServiceProvider.GetRequiredService<RegistryMetrics>().Registry;
        app.MapMetrics(settings => settings.Registry = registry, "/metrics");
        return app;
    }
}
