using System.Text.Json.Serialization;

namespace Registry.Contracts.Naming;

/// <summary>One registered instance as the API returns it.</summary>
public sealed record InstanceInfo
{
    /// <summary>Stable id derived from ip, port and cluster: <c>ip#port#cluster</c>.</summary>
    public required string Id { get; init; }
    public required string Namespace { get; init; }
    public required string Group { get; init; }
    public required string Service { get; init; }
    public required string Ip { get; init; }
    public required int Port { get; init; }
    public required string Cluster { get; init; }
    /// <summary>The weight the instance registered with (or an admin set); null when it declared none.</summary>
    public required double? Weight { get; init; }
    /// <summary>
    /// The weight selection uses: the metadata document's override for this instance, else the registered
    /// weight, else the document's default weight, else 1.
    /// </summary>
    public required double EffectiveWeight { get; init; }
    /// <summary>
    /// Where <see cref="EffectiveWeight"/> comes from: <c>override</c> (the metadata document's weight for this
    /// instance), <c>instance</c> (registered or set by an admin), <c>serviceDefault</c> (the document's default
    /// weight) or <c>default</c> (1).
    /// </summary>
    public string WeightSource { get; init; } = WeightSources.Default;
    public required bool Enabled { get; init; }
    public required bool Healthy { get; init; }
    public required bool Ephemeral { get; init; }
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
    public required long HeartbeatIntervalMs { get; init; }
    public required long UnhealthyAfterMs { get; init; }
    public required long EvictAfterMs { get; init; }
    public required DateTimeOffset RegisteredAt { get; init; }
    /// <summary>The revision of the last change to this instance.</summary>
    public required long Revision { get; init; }
    /// <summary>Where to reach the instance over the protocol a list or pick asked for; absent otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public InstanceEndpoint? Endpoint { get; init; }
    /// <summary>When the last heartbeat arrived; only on single-instance reads.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? LastHeartbeatAt { get; init; }
    /// <summary>
    /// A persistent instance's own health check, over its service's (<c>none</c>: not checked); absent when it
    /// follows its service's.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HealthCheck? HealthCheck { get; init; }
}

/// <summary>The values of <see cref="InstanceInfo.WeightSource"/>.</summary>
public static class WeightSources
{
    public const string Override = "override";
    public const string Instance = "instance";
    public const string ServiceDefault = "serviceDefault";
    public const string Default = "default";
}

/// <summary>
/// An instance's address for one protocol: its port from the instance's own <c>protocol.&lt;name&gt;.port</c>
/// metadata, else from the service's metadata document.
/// </summary>
public sealed record InstanceEndpoint(string Protocol, string Host, int Port, string? Path);
