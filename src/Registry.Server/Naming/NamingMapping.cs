using Registry.Contracts.Naming;
using Registry.Server.Metadata;

namespace Registry.Server.Naming;

/// <summary>From the in-memory model to wire types.</summary>
internal static class NamingMapping
{
    /// <summary>The wire shape of an instance; with <paramref name="protocol"/>, its endpoint for that protocol.</summary>
    public static InstanceInfo ToInfo(
        this InstanceRecord record, ServiceKey service, ServiceMetadataRecord? metadata, LeasePolicy leases,
        string? protocol = null, DateTimeOffset? lastHeartbeatAt = null) =>
        new()
        {
            Id = record.Id,
            Namespace = service.Namespace,
            Group = service.Group,
            Service = service.Name,
            Ip = record.Ip,
            Port = record.Port,
            Cluster = record.Cluster,
            Weight = record.Weight,
            EffectiveWeight = ServiceDirectory.EffectiveWeight(record, metadata),
            Endpoint = protocol is null ? null : ServiceDirectory.Endpoint(record, metadata, protocol),
            Enabled = record.Enabled,
            Healthy = record.Healthy,
            Ephemeral = record.Ephemeral,
            Metadata = record.Metadata,
            HeartbeatIntervalMs = (long)leases.HeartbeatInterval(record).TotalMilliseconds,
            UnhealthyAfterMs = (long)leases.UnhealthyAfter(record).TotalMilliseconds,
            EvictAfterMs = (long)leases.EvictAfter(record).TotalMilliseconds,
            RegisteredAt = record.RegisteredAt,
            Revision = record.Revision,
            LastHeartbeatAt = lastHeartbeatAt,
        };

    public static ServiceInfo ToInfo(this ServiceEntry entry)
    {
        var service = entry.View();
        var instances = service.Instances;
        var record = service.Record;
        return new ServiceInfo
        {
            Namespace = service.Key.Namespace,
            Group = service.Key.Group,
            Name = service.Key.Name,
            ProtectThreshold = record.ProtectThreshold,
            Metadata = record.Metadata,
            InstanceCount = instances.Count,
            HealthyCount = instances.Count(static i => i.Healthy),
            Clusters = Clusters(instances),
            CreatedAt = record.CreatedAt,
            Revision = service.Revision,
        };
    }

    public static IReadOnlyList<ClusterInfo> Clusters(IReadOnlyList<InstanceRecord> instances) =>
        [.. instances
            .GroupBy(static i => i.Cluster, StringComparer.Ordinal)
            .OrderBy(static g => g.Key, StringComparer.Ordinal)
            .Select(static g => new ClusterInfo(g.Key, g.Count(), g.Count(static i => i.Healthy)))];
}
