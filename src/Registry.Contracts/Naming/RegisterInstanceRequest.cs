using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Registry.Contracts.Naming;

/// <summary>
/// Body of <c>PUT /v1/services/{service}/instances</c>. Registration is an idempotent upsert keyed by
/// (namespace, group, service, cluster, ip, port); fields left out keep their current value on an existing
/// instance and take their default on a new one.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RegisterInstanceRequest
{
    /// <summary>IPv4, IPv6 or host name the instance is reachable at.</summary>
    [Required]
    public string? Ip { get; init; }

    /// <summary>Port, 1..65535.</summary>
    [Required]
    public int? Port { get; init; }

    /// <summary>Cluster (deployment slice); default <c>DEFAULT</c>.</summary>
    public string? Cluster { get; init; }

    /// <summary>
    /// Relative weight for selection, 0..10000; 0 means never picked. Left out: the service's default weight
    /// (else 1) applies.
    /// </summary>
    public double? Weight { get; init; }

    /// <summary>Whether the instance may receive traffic. Default true.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Ephemeral instances live by heartbeat; persistent ones stay until deleted. Default true.</summary>
    public bool? Ephemeral { get; init; }

    /// <summary>
    /// Free string properties of the instance. <c>protocol.&lt;name&gt;.port</c> (and <c>.path</c>) declare where
    /// it serves a protocol, e.g. <c>"protocol.grpc.port": "9090"</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>How often the instance will beat, in ms; default from the server.</summary>
    public long? HeartbeatIntervalMs { get; init; }

    /// <summary>Marked unhealthy after this long without a beat, in ms; default from the server.</summary>
    public long? UnhealthyAfterMs { get; init; }

    /// <summary>Evicted after this long without a beat, in ms; default from the server.</summary>
    public long? EvictAfterMs { get; init; }

    /// <summary>
    /// A persistent instance's own health check, over its service's: <c>{"type": "none"}</c> opts it out of the
    /// service's, <c>{"type": "service"}</c> follows the service's again. Left out: it keeps the one it has (a new
    /// instance follows the service's).
    /// </summary>
    public HealthCheck? HealthCheck { get; init; }
}
