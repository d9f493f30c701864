using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Registry.Server.Naming;
using Registry.Server.Log;

namespace Registry.Server.Health;

/// <summary>
/// <c>/healthz</c>: the process answers. <c>/readyz</c>: the store takes writes; self-preservation and the cluster
/// as this node sees it shown.
/// </summary>
internal static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    private static readonly string[] ReadMethods = ["GET", "HEAD"];

    public static IHealthChecksBuilder AddRegistryHealthChecks(this IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: [ReadyTag])
            .AddCheck<SelfPreservationHealthCheck>("selfPreservation", tags: [ReadyTag])
            .AddCheck<ClusterHealthCheck>("cluster", tags: [ReadyTag]);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithMetadata(new HttpMethodMetadata(ReadMethods));
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteAsync,
        }).WithMetadata(new HttpMethodMetadata(ReadMethods));
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new Dictionary<string, object?>
        {
            ["status"] = report.Status.ToString(),
            ["checks"] = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => (object)new Dictionary<string, object?>
                {
                    ["status"] = entry.Value.Status.ToString(),
                    ["description"] = entry.Value.Description,
                    ["data"] = entry.Value.Data,
                }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, HealthJson.Options));
    }

    private static class HealthJson
    {
        public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
    }
}

/// <summary>Ready when a write could be made durable now: the log's probe writes and fsyncs a small file.</summary>
internal sealed class StoreHealthCheck(IChangeLog log) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problem = log.Probe();
        var health = log.Health;
        var data = new Dictionary<string, object> { ["revision"] = health.Revision, ["lastWriteFailed"] = health.LastWriteFailed };
        return Task.FromResult(problem is not null
            ? HealthCheckResult.Unhealthy($"The store cannot make writes durable: {problem}", data: data)
            : HealthCheckResult.Healthy("The store takes writes.", data));
    }
}

internal sealed class SelfPreservationHealthCheck(SelfPreservation selfPreservation) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = selfPreservation.State;
        if (!state.Active)
        {
            return Task.FromResult(HealthCheckResult.Healthy("Evictions run normally.",
                new Dictionary<string, object> { ["active"] = false }));
        }

        return Task.FromResult(HealthCheckResult.Degraded(
            "Self-preservation: evictions are held back because too many leases expired at once.",
            data: new Dictionary<string, object>
            {
                ["active"] = true,
                ["since"] = state.Since!.Value,
                ["heldInstances"] = state.HeldInstances,
                ["ephemeralInstances"] = state.EphemeralInstances,
            }));
    }
}

/// <summary>
/// The nodes that share the log as this node sees them. Degraded when this node may not judge leases (it lost its
/// node lease or the store): it still answers reads, and evicts nothing.
/// </summary>
internal sealed class ClusterHealthCheck(IClusterNodes nodes) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (nodes.Self is not { } self)
        {
            return Task.FromResult(HealthCheckResult.Healthy("A single node.", new Dictionary<string, object> { ["nodes"] = 1 }));
        }

        var live = nodes.Live.Order(StringComparer.Ordinal).ToArray();
        var data = new Dictionary<string, object> { ["node"] = self, ["nodes"] = live.Length, ["live"] = live, ["canDecide"] = nodes.CanDecide };
        return Task.FromResult(nodes.CanDecide
            ? HealthCheckResult.Healthy($"{live.Length} node(s) live; this one is {self}.", data)
            : HealthCheckResult.Degraded($"Node {self} is cut off from the cluster's store: it serves reads and judges no lease.", data: data));
    }
}
