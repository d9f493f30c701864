using System.Collections.Concurrent;

namespace Registry.Server.Naming;

/// <summary>
/// A service in memory: its record, its instances by id, the revision of its last change and a sorted
/// snapshot of its instances that is built at most once per change and shared by every reader.
/// </summary>
internal sealed class ServiceEntry(ServiceKey key, ServiceRecord record)
{
    private ServiceRecord _record = record;
    private long _revision = record.Revision;
    private long _version;
    private Snapshot? _snapshot;

    public ServiceKey Key { get; } = key;

    public ConcurrentDictionary<string, InstanceEntry> Instances { get; } = new(StringComparer.Ordinal);

    public ServiceRecord Record
    {
        get => Volatile.Read(ref _record);
        set => Volatile.Write(ref _record, value);
    }

    /// <summary>The revision of the last change to the service or any of its instances.</summary>
    public long Revision => Interlocked.Read(ref _revision);

    /// <summary>
    /// Called by the writer after every change to the service or its instances (and after undoing one),
    /// so the cached snapshot is rebuilt.
    /// </summary>
    public void MarkChanged(long revision)
    {
        Interlocked.Exchange(ref _revision, revision);
        Interlocked.Increment(ref _version);
    }

    /// <summary>Every instance registration, ordered by id.</summary>
    public IReadOnlyList<InstanceRecord> SortedInstances()
    {
        // _version changes after every write (undo included), so a snapshot built while a write was
        // under way is never kept past it.
        var version = Interlocked.Read(ref _version);
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is not null && snapshot.Version == version)
        {
            return snapshot.Instances;
        }

        var instances = Instances.Values.Select(static entry => entry.Record).ToArray();
        Array.Sort(instances, static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        if (Interlocked.Read(ref _version) == version)
        {
            Volatile.Write(ref _snapshot, new Snapshot(version, instances));
        }

        return instances;
    }

    private sealed record Snapshot(long Version, InstanceRecord[] Instances);
}
