using System.Text.Json.Serialization;
using System.Globalization;
using Registry.Server.Documents;
using Registry.Server.Infrastructure;

namespace Registry.Server.Naming;

/// <summary>Identifies a service in the tree; also its store key.</summary>
internal readonly record struct ServiceKey(string Namespace, string Group, string Name) : IDocumentKey
{
    public override string ToString() => $"{Namespace}/{Group}/{Name}";

    public string InstanceKey(string instanceId) => $"{Namespace}/{Group}/{Name}/{instanceId}";

    /// <summary>Reads a service back from its store key, or from an instance's (<c>ns/group/service[/id]</c>).</summary>
    public static ServiceKey Parse(string key)
    {
        var parts = key.Split('/', 4);
        return new ServiceKey(parts[0], parts[1], parts[2]);
    }
}

/// <param name="HealthCheck">The check of its persistent instances; null when it has none.</param>
internal sealed record ServiceRecord(
    double ProtectThreshold,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset CreatedAt,
    long Revision,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HealthCheckRecord? HealthCheck = null);

/// <summary>
/// A health check as stored, with every default filled in: <c>tcp</c> or <c>http</c>, or on an instance <c>none</c>
/// (not checked, whatever its service declares).
/// </summary>
/// <param name="Port">The port probed; the instance's own when null.</param>
internal sealed record HealthCheckRecord(
    string Type, int? Port, string? Path, long IntervalMs, long TimeoutMs, int UnhealthyThreshold, int HealthyThreshold);

/// <summary>
/// A registration as persisted. Lease fields are null when the instance uses the server's defaults, so a
/// change of the defaults applies to it. Its service comes from the store key.
/// </summary>
/// <param name="Owner">The node that judges its lease, in a cluster: the one its client beats to. Null on a single node.</param>
/// <param name="HealthCheck">A persistent instance's own check, over its service's; null when it follows the service's.</param>
internal sealed record InstanceRecord(
    string Id,
    string Ip,
    int Port,
    string Cluster,
    double? Weight,
    bool Enabled,
    bool Healthy,
    bool Ephemeral,
    IReadOnlyDictionary<string, string> Metadata,
    long? HeartbeatIntervalMs,
    long? UnhealthyAfterMs,
    long? EvictAfterMs,
    DateTimeOffset RegisteredAt,
    long Revision,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Owner = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HealthCheckRecord? HealthCheck = null) : ILeaseTerms;

/// <summary>An instance's own lease, in milliseconds; null where it uses the server's default.</summary>
internal interface ILeaseTerms
{
    long? HeartbeatIntervalMs { get; }

    long? UnhealthyAfterMs { get; }

    long? EvictAfterMs { get; }
}

internal static class InstanceIds
{
    /// <summary>The stable id of an instance within its service: <c>ip#port#cluster</c>.</summary>
    public static string Derive(string ip, int port, string cluster) => $"{ip}#{port}#{cluster}";

    /// <summary>Whether <paramref name="id"/> has the shape of a derived id: an address, a port and a cluster name.</summary>
    public static bool IsWellFormed(string id) =>
        id.Split('#') is [{ Length: > 0 and <= HostRules.MaxLength }, var port, var cluster]
        && int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
        && number is >= 1 and <= 65535
        && NameRules.IsValid(cluster, NameRules.ClusterMaxLength);
}
