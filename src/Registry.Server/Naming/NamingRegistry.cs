using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Registry.Server.Infrastructure;
using Registry.Server.Storage;

namespace Registry.Server.Naming;

/// <summary>
/// The naming tree in memory: namespaces, services and instances. Reads are lock-free from any thread;
/// every mutation runs on the <see cref="Committer"/>'s writer loop through the methods taking a
/// <see cref="ChangeSet"/>, which persist the change and register its undo.
/// </summary>
internal sealed class NamingRegistry : IStoreLoadable
{
    private readonly ConcurrentDictionary<string, NamespaceRecord> _namespaces = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ServiceKey, ServiceEntry> _services = new();
    private int _ephemeralCount;

    public NamingRegistry()
    {
        _namespaces[NameRules.DefaultNamespace] = DefaultNamespace;
    }

    /// <summary>The built-in namespace; always present, and replaced by its stored record once an admin edits it.</summary>
    public static NamespaceRecord DefaultNamespace { get; } =
        new(NameRules.DefaultNamespace, NameRules.DefaultNamespace, "The default namespace.", DateTimeOffset.UnixEpoch, 0);

    public int EphemeralCount => Volatile.Read(ref _ephemeralCount);

    public ICollection<NamespaceRecord> Namespaces => _namespaces.Values;

    public ICollection<ServiceEntry> Services => _services.Values;

    public NamespaceRecord? FindNamespace(string id) => _namespaces.GetValueOrDefault(id);

    public ServiceEntry? FindService(ServiceKey key) => _services.GetValueOrDefault(key);

    public InstanceEntry? FindInstance(ServiceKey key, string id) =>
        TryFindInstance(key, id, out _, out var entry) ? entry : null;

    public bool TryFindInstance(
        ServiceKey key, string id, [NotNullWhen(true)] out ServiceEntry? service, [NotNullWhen(true)] out InstanceEntry? entry)
    {
        entry = null;
        return _services.TryGetValue(key, out service) && service.Instances.TryGetValue(id, out entry);
    }

    /// <summary>Builds memory from the store; ephemeral instances get a full lease from <paramref name="now"/>.</summary>
    public void Load(IRegistryStore store, DateTimeOffset now)
    {
        foreach (var ns in NamingCollections.Namespaces.ReadAll(store))
        {
            _namespaces[ns.Id] = ns;
        }

        foreach (var document in store.Scan(NamingCollections.Services.Name))
        {
            var key = ServiceKey.Parse(document.Key);
            _services[key] = new ServiceEntry(key, NamingCollections.Services.Deserialize(document.Value));
        }

        foreach (var document in store.Scan(NamingCollections.Instances.Name))
        {
            var key = ServiceKey.Parse(document.Key);
            var record = NamingCollections.Instances.Deserialize(document.Value);
            var service = _services.GetValueOrDefault(key) ?? throw new InvalidDataException(
                $"Instance '{document.Key}' is stored without its service.");
            service.Instances[record.Id] = new InstanceEntry(Compact(record), now.UtcTicks);
            if (record.Ephemeral)
            {
                _ephemeralCount++;
            }
        }
    }

    public void PutNamespace(ChangeSet changes, NamespaceRecord record)
    {
        changes.Put(NamingCollections.Namespaces, record.Id, record);
        var previous = _namespaces.GetValueOrDefault(record.Id);
        _namespaces[record.Id] = record;
        changes.OnRollback(() => Restore(_namespaces, record.Id, previous));
    }

    public void RemoveNamespace(ChangeSet changes, string id)
    {
        changes.Delete(NamingCollections.Namespaces, id);
        if (_namespaces.TryRemove(id, out var previous))
        {
            changes.OnRollback(() => _namespaces[id] = previous);
        }
    }

    public ServiceEntry PutService(ChangeSet changes, ServiceKey key, ServiceRecord record)
    {
        changes.Put(NamingCollections.Services, key.ToString(), record);
        if (_services.TryGetValue(key, out var service))
        {
            var (previous, previousRevision) = (service.Record, service.Revision);
            service.Record = record;
            service.MarkChanged(record.Revision);
            changes.OnRollback(() =>
            {
                service.Record = previous;
                service.MarkChanged(previousRevision);
            });
            return service;
        }

        service = new ServiceEntry(key, record);
        _services[key] = service;
        changes.OnRollback(() => _services.TryRemove(key, out _));
        return service;
    }

    public void RemoveService(ChangeSet changes, ServiceEntry service)
    {
        changes.Delete(NamingCollections.Services, service.Key.ToString());
        _services.TryRemove(service.Key, out _);
        changes.OnRollback(() => _services[service.Key] = service);
    }

    /// <summary>Adds or replaces an instance; a new one starts its lease at <paramref name="now"/>.</summary>
    public InstanceEntry PutInstance(ChangeSet changes, ServiceEntry service, InstanceRecord record, DateTimeOffset now)
    {
        record = Compact(record);
        changes.Put(NamingCollections.Instances, service.Key.InstanceKey(record.Id), record);
        var previousRevision = service.Revision;
        if (service.Instances.TryGetValue(record.Id, out var entry))
        {
            var previous = entry.Record;
            entry.Set(record);
            AdjustEphemeralCount(previous, record);
            changes.OnRollback(() =>
            {
                entry.Set(previous);
                AdjustEphemeralCount(record, previous);
                service.MarkChanged(previousRevision);
            });
        }
        else
        {
            entry = new InstanceEntry(record, now.UtcTicks);
            service.Instances[record.Id] = entry;
            AdjustEphemeralCount(null, record);
            changes.OnRollback(() =>
            {
                service.Instances.TryRemove(record.Id, out _);
                AdjustEphemeralCount(record, null);
                service.MarkChanged(previousRevision);
            });
        }

        service.MarkChanged(record.Revision);
        return entry;
    }

    public void RemoveInstance(ChangeSet changes, ServiceEntry service, InstanceEntry entry, long revision)
    {
        var record = entry.Record;
        changes.Delete(NamingCollections.Instances, service.Key.InstanceKey(record.Id));
        var previousRevision = service.Revision;
        if (!service.Instances.TryRemove(record.Id, out _))
        {
            return;
        }

        entry.SetRemoved(true);
        AdjustEphemeralCount(record, null);
        service.MarkChanged(revision);
        changes.OnRollback(() =>
        {
            entry.SetRemoved(false);
            service.Instances[record.Id] = entry;
            AdjustEphemeralCount(null, record);
            service.MarkChanged(previousRevision);
        });
    }

    private void AdjustEphemeralCount(InstanceRecord? before, InstanceRecord? after)
    {
        var delta = (after?.Ephemeral == true ? 1 : 0) - (before?.Ephemeral == true ? 1 : 0);
        if (delta != 0)
        {
            Interlocked.Add(ref _ephemeralCount, delta);
        }
    }

    private static void Restore<TKey, TValue>(ConcurrentDictionary<TKey, TValue> map, TKey key, TValue? previous)
        where TKey : notnull where TValue : class
    {
        if (previous is null)
        {
            map.TryRemove(key, out _);
        }
        else
        {
            map[key] = previous;
        }
    }

    /// <summary>Shares the strings and maps that most instances have in common.</summary>
    private static InstanceRecord Compact(InstanceRecord record) =>
        record.Cluster == NameRules.DefaultCluster && !ReferenceEquals(record.Cluster, NameRules.DefaultCluster)
        || record.Metadata.Count == 0 && !ReferenceEquals(record.Metadata, MetadataMaps.Empty)
            ? record with
            {
                Cluster = record.Cluster == NameRules.DefaultCluster ? NameRules.DefaultCluster : record.Cluster,
                Metadata = record.Metadata.Count == 0 ? MetadataMaps.Empty : record.Metadata,
            }
            : record;
}
