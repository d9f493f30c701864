using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Registry.Server.Naming;

/// <summary>
/// A service as of one revision: its record, its instances ordered by id and how consumers are routed to them. What
/// lists, picks, beats and the naming watch read; immutable (a change makes the next view), so one view serves every
/// reader of its revision, and what it renders for a given filter is kept with it.
/// </summary>
internal sealed class ServiceView(
    ServiceKey key, ServiceRecord record, ImmutableSortedDictionary<string, Instance> instances, ServiceRouting? routing, long revision)
{
    public static readonly ImmutableSortedDictionary<string, Instance> NoInstances =
        ImmutableSortedDictionary.Create<string, Instance>(StringComparer.Ordinal);

    private ConcurrentDictionary<InstanceFilter, byte[]>? _rendered;
    private Instance[]? _list;

    public ServiceKey Key { get; } = key;

    public ServiceRecord Record { get; } = record;

    /// <summary>The instances ordered by id; listed on first use.</summary>
    public IReadOnlyList<Instance> Instances => _list ??= [.. instances.Values];

    public int InstanceCount => instances.Count;

    /// <summary>Weights and protocols from the service's metadata document, if it has one.</summary>
    public ServiceRouting? Routing { get; } = routing;

    /// <summary>The revision of the last change to the service, its instances or its routing.</summary>
    public long Revision { get; } = revision;

    public ImmutableSortedDictionary<string, Instance> InstancesById => instances;

    public Instance? Find(string id) => instances.GetValueOrDefault(id);

    /// <summary>The serialized instance list for <paramref name="filter"/>, built once per view and filter.</summary>
    public byte[] Rendered(InstanceFilter filter, Func<ServiceView, InstanceFilter, byte[]> render)
    {
        // Most views are replaced before anyone reads them: the cache is made on first read.
        var rendered = _rendered ?? Interlocked.CompareExchange(ref _rendered, new(), null) ?? _rendered;
        return rendered.GetOrAdd(filter, static (f, state) => state.Render(state.View, f), (View: this, Render: render));
    }
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
