using System.Text.Json.Serialization;

namespace Registry.Contracts.Naming;

/// <summary>
/// Body of <c>PATCH /v1/services/{service}/instances/{id}</c>: an admin change. Only the fields present
/// are changed; <see cref="Metadata"/> replaces the whole map. Any other field is refused: a change that would
/// be silently ignored (the address, say) must not look as if it was made.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PatchInstanceRequest
{
    /// <summary>Enable or disable the instance for traffic.</summary>
    public bool? Enabled { get; init; }

    /// <summary>New weight, 0..10000.</summary>
    public double? Weight { get; init; }

    /// <summary>Health of a persistent instance; ephemeral instances get their health from heartbeats.</summary>
    public bool? Healthy { get; init; }

    /// <summary>Replacement metadata.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>
    /// The health check of a persistent instance: its own (tcp, http), <c>none</c> to opt out of the service's, or
    /// <c>service</c> to follow the service's again. The instance keeps its health until its probes say otherwise.
    /// </summary>
    public HealthCheck? HealthCheck { get; init; }
}
