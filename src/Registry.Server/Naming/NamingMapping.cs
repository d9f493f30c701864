using Registry.Contracts.Naming;

namespace Registry.Server.Naming;

/// <summary>From the naming tree to wire types.</summary>
internal static class NamingMapping
{
    /// <summary>The wire shape of an instance; with <paramref name="protocol"/>, its endpoint for that protocol.</summary>
    public static InstanceInfo ToInfo(
        this Instance instance, ServiceKey service, ServiceRouting? routing, LeasePolicy leases,
        string? protocol = null, DateTimeOffset? lastHeartbeatAt = null)
    {
        var (weight, source) = ServiceRouting.Weigh(instance, routing);
        return new()
        {
            Id = instance.Id,
            Namespace = service.Namespace,
            Group = service.Group,
            Service = service.Name,
            Ip = instance.Ip,
            Port = instance.Port,
            Cluster = instance.Cluster,
            Weight = instance.Weight,
            EffectiveWeight = weight,
            WeightSource = source,
            Endpoint = protocol is null ? null : ServiceRouting.Endpoint(instance, routing, protocol),
            Enabled = instance.Enabled,
            Healthy = instance.Healthy,
            Ephemeral = instance.Ephemeral,
            Metadata = instance.Metadata,
            HeartbeatIntervalMs = (long)leases.HeartbeatInterval(instance).TotalMilliseconds,
            UnhealthyAfterMs = (long)leases.UnhealthyAfter(instance).TotalMilliseconds,
            EvictAfterMs = (long)leases.EvictAfter(instance).TotalMilliseconds,
            RegisteredAt = instance.RegisteredAt,
            Revision = instance.Revision,
            LastHeartbeatAt = lastHeartbeatAt,
            HealthCheck = instance.HealthCheck?.ToContract(),
        };
    }

    /// <summary>The wire shape of a registration a use case decided, as of the revision it took.</summary>
    public static InstanceInfo ToInfo(this InstanceRecord record, ServiceKey service, ServiceRouting? routing, LeasePolicy leases) =>
        new Instance(record, record.Revision, 0).ToInfo(service, routing, leases);

    public static ServiceInfo ToInfo(this ServiceView service)
    {
        var instances = service.Instances;
        var record = service.Record;
        return new ServiceInfo
        {
            Namespace = service.Key.Namespace,
            Group = service.Key.Group,
            Name = service.Key.Name,
            ProtectThreshold = record.ProtectThreshold,
            Metadata = record.Metadata,
            HealthCheck = record.HealthCheck?.ToContract(),
            InstanceCount = instances.Count,
            HealthyCount = instances.Count(static i => i.Healthy),
            Clusters = Clusters(instances),
            CreatedAt = record.CreatedAt,
            Revision = service.Revision,
        };
    }

    public static IReadOnlyList<ClusterInfo> Clusters(IReadOnlyList<Instance> instances) =>
        [.. instances
            .GroupBy(static i => i.Cluster, StringComparer.Ordinal)
            .OrderBy(static g => g.Key, StringComparer.Ordinal)
            .Select(static g => new ClusterInfo(g.Key, g.Count(), g.Count(static i => i.Healthy)))];
}
