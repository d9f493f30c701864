using System.Collections.Concurrent;
using System.Collections.Immutable;
using Registry.Server.Metadata;

namespace Registry.Server.Naming;

/// <summary>
/// A service as of one revision: its record, its instances ordered by id and its metadata document. What
/// lists, picks and the naming watch read; immutable, so one view serves every reader of that revision,
/// and what a view renders for a given filter is kept with it.
/// </summary>
internal sealed class ServiceView(
    ServiceKey key, ServiceRecord record, ImmutableSortedDictionary<string, InstanceRecord> instances,
    ServiceMetadataRecord? metadata, long revision)
{
    private readonly ConcurrentDictionary<InstanceFilter, byte[]> _rendered = new();
    private InstanceRecord[]? _list;

    public ServiceKey Key { get; } = key;

    public ServiceRecord Record { get; } = record;

    /// <summary>The instances ordered by id; listed on first use.</summary>
    public IReadOnlyList<InstanceRecord> Instances => _list ??= [.. instances.Values];

    public int InstanceCount => instances.Count;

    /// <summary>The live metadata document, if any.</summary>
    public ServiceMetadataRecord? Metadata { get; } = metadata;

    public long Revision { get; } = revision;

    /// <summary>The serialized instance list for <paramref name="filter"/>, built once per view and filter.</summary>
    public byte[] Rendered(InstanceFilter filter, Func<ServiceView, InstanceFilter, byte[]> render) =>
        _rendered.GetOrAdd(filter, f => render(this, f));
}

/// <summary>
/// What a consumer asks of a service's instances: healthy ones only, some clusters, one protocol (names of
/// protocols are case-insensitive: kept in lower case). Equal filters (by those three) share one rendered list
/// per view.
/// </summary>
internal sealed record InstanceFilter(bool HealthyOnly, string Clusters, string? Protocol)
{
    public static InstanceFilter All { get; } = new(false, "", null);

    public string? Protocol { get; } = Protocol?.ToLowerInvariant();

    public string[] ClusterList { get; } = InstanceSelection.ParseClusters(Clusters);

    // The parsed list is derived from Clusters; compared by reference it would make every request's filter unique.
    public bool Equals(InstanceFilter? other) =>
        other is not null && HealthyOnly == other.HealthyOnly && Clusters == other.Clusters && Protocol == other.Protocol;

    public override int GetHashCode() => HashCode.Combine(HealthyOnly, Clusters, Protocol);
}
