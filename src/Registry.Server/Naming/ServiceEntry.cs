using System.Collections.Concurrent;
using System.Collections.Immutable;
using Registry.Server.Metadata;

namespace Registry.Server.Naming;

/// <summary>
/// A service in memory: its record, its instances (by id for heartbeats, and as an immutable sorted map so a
/// <see cref="ServiceView"/> of any revision costs nothing to take), its metadata document and the revision
/// of its last change. Only the writer changes it, through the methods below.
/// </summary>
internal sealed class ServiceEntry(ServiceKey key, ServiceRecord record)
{
    private static readonly ImmutableSortedDictionary<string, InstanceRecord> NoInstances =
        ImmutableSortedDictionary.Create<string, InstanceRecord>(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, InstanceEntry> _instances = new(StringComparer.Ordinal);
    private ImmutableSortedDictionary<string, InstanceRecord> _sorted = NoInstances;
    private ServiceRecord _record = record;
    private ServiceMetadataRecord? _metadata;
    private long _revision = record.Revision;
    private long _version;
    private CachedView? _view;

    public ServiceKey Key { get; } = key;

    /// <summary>The instances by id; change them only through <see cref="SetInstance"/> and <see cref="RemoveInstance"/>.</summary>
    public IReadOnlyDictionary<string, InstanceEntry> Instances => _instances;

    public ServiceRecord Record
    {
        get => Volatile.Read(ref _record);
        set => Volatile.Write(ref _record, value);
    }

    /// <summary>The metadata document; a tombstone after a delete, null when there never was one.</summary>
    public ServiceMetadataRecord? Metadata
    {
        get => Volatile.Read(ref _metadata);
        set => Volatile.Write(ref _metadata, value);
    }

    /// <summary>The live metadata document, if any.</summary>
    public ServiceMetadataRecord? LiveMetadata => Metadata is { Deleted: false } live ? live : null;

    /// <summary>The revision of the last change to the service, its instances or its metadata.</summary>
    public long Revision => Interlocked.Read(ref _revision);

    /// <summary>Adds an instance, or gives an existing one its new registration.</summary>
    public void SetInstance(InstanceEntry entry, InstanceRecord record)
    {
        entry.Set(record);
        _instances[record.Id] = entry;
        Volatile.Write(ref _sorted, _sorted.SetItem(record.Id, record));
    }

    public void RemoveInstance(string id)
    {
        _instances.TryRemove(id, out _);
        Volatile.Write(ref _sorted, _sorted.Remove(id));
    }

    /// <summary>Called by the writer after every change (and after undoing one), so readers get a new view.</summary>
    public void MarkChanged(long revision)
    {
        Interlocked.Exchange(ref _revision, revision);
        Interlocked.Increment(ref _version);
    }

    /// <summary>The service as of now; one view object per change, so what it renders is shared.</summary>
    public ServiceView View()
    {
        // _version changes after every write (undo included), so a view taken while a write was under way
        // is never kept past it.
        var version = Interlocked.Read(ref _version);
        var cached = Volatile.Read(ref _view);
        if (cached is not null && cached.Version == version)
        {
            return cached.View;
        }

        // The revision is read first: the writer changes the state before the revision, so a view may hold
        // a change newer than its revision but never an older state under a newer revision.
        var revision = Revision;
        var view = new ServiceView(Key, Record, Volatile.Read(ref _sorted), LiveMetadata, revision);
        if (Interlocked.Read(ref _version) == version)
        {
            Volatile.Write(ref _view, new CachedView(version, view));
        }

        return view;
    }

    private sealed record CachedView(long Version, ServiceView View);
}
