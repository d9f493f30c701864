using System.Text.Json.Serialization;

namespace Registry.Contracts.Naming;

/// <summary>A service with its instance counts.</summary>
public sealed record ServiceInfo
{
    public required string Namespace { get; init; }
    public required string Group { get; init; }
    public required string Name { get; init; }
    public required double ProtectThreshold { get; init; }
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
    /// <summary>The check the server runs against the service's persistent instances; absent when it has none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HealthCheck? HealthCheck { get; init; }
    public required int InstanceCount { get; init; }
    public required int HealthyCount { get; init; }
    public required IReadOnlyList<ClusterInfo> Clusters { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>The revision of the last change to the service or any of its instances.</summary>
    public required long Revision { get; init; }
}

/// <summary>Instance counts of one cluster.</summary>
public sealed record ClusterInfo(string Name, int InstanceCount, int HealthyCount);
