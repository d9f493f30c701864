using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Registry.Server.Infrastructure;
using Registry.Server.Metadata;
using Registry.Server.Storage;

namespace Registry.Server.Naming;

/// <summary>
/// The naming tree in memory: namespaces, services (with their metadata documents) and instances. Reads are
/// lock-free from any thread; every mutation runs on the <see cref="Committer"/>'s writer loop through the
/// methods taking a <see cref="ChangeSet"/>, which persist the change, register its undo and emit the
/// service's naming event.
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

    /// <summary>
    /// Builds memory from the store; ephemeral instances get a full lease from <paramref name="now"/>. A service's
    /// revision is that of its newest stored record, instance or metadata document.
    /// </summary>
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

        foreach (var document in store.Scan(MetadataCollections.Documents.Name))
        {
            var metadata = MetadataCollections.Documents.Deserialize(document.Value);
            var owner = Owner(document.Key);
            owner.Metadata = metadata;
            owner.MarkChanged(Math.Max(owner.Revision, metadata.Revision));
        }

        foreach (var document in store.Scan(NamingCollections.Instances.Name))
        {
            var record = Compact(NamingCollections.Instances.Deserialize(document.Value));
            var owner = Owner(document.Key);
            owner.SetInstance(new InstanceEntry(record, now.UtcTicks), record);
            owner.MarkChanged(Math.Max(owner.Revision, record.Revision));
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
        changes.OnRollback(() =>
        {
            if (previous is null)
            {
                _namespaces.TryRemove(record.Id, out _);
            }
            else
            {
                _namespaces[record.Id] = previous;
            }
        });
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
        if (!_services.TryGetValue(key, out var service))
        {
            service = new ServiceEntry(key, record);
            _services[key] = service;
            Changed(changes, service, record.Revision);
            changes.OnRollback(() => _services.TryRemove(key, out _));
            return service;
        }

        var (previous, previousRevision) = (service.Record, service.Revision);
        service.Record = record;
        Changed(changes, service, record.Revision);
        changes.OnRollback(() =>
        {
            service.Record = previous;
            service.MarkChanged(previousRevision);
        });
        return service;
    }

    /// <summary>Removes an empty service with its metadata document and that document's history.</summary>
    public void RemoveService(ChangeSet changes, ServiceEntry service, long revision)
    {
        var key = service.Key.ToString();
        changes.Delete(NamingCollections.Services, key);
        if (service.Metadata is { } metadata)
        {
            changes.Delete(MetadataCollections.Documents, key);
            for (var version = 1; version <= metadata.Version; version++)
            {
                changes.Delete(MetadataCollections.History, MetadataCollections.VersionKey(key, version));
            }
        }

        _services.TryRemove(service.Key, out _);
        var previousRevision = service.Revision;
        Changed(changes, service, revision);
        changes.OnRollback(() =>
        {
            _services[service.Key] = service;
            service.MarkChanged(previousRevision);
        });
    }

    /// <summary>Adds or replaces an instance; a new one starts its lease at <paramref name="now"/>.</summary>
    public InstanceEntry PutInstance(ChangeSet changes, ServiceEntry service, InstanceRecord record, DateTimeOffset now)
    {
        record = Compact(record);
        var previousRevision = service.Revision;
        if (service.Instances.TryGetValue(record.Id, out var entry))
        {
            changes.Put(NamingCollections.Instances, service.Key.InstanceKey(record.Id), record);
            var previous = entry.Record;
            service.SetInstance(entry, record);
            AdjustEphemeralCount(previous, record);
            changes.OnRollback(() =>
            {
                service.SetInstance(entry, previous);
                AdjustEphemeralCount(record, previous);
                service.MarkChanged(previousRevision);
            });
        }
        else
        {
            changes.Create(NamingCollections.Instances, service.Key.InstanceKey(record.Id), record);
            entry = new InstanceEntry(record, now.UtcTicks);
            service.SetInstance(entry, record);
            AdjustEphemeralCount(null, record);
            changes.OnRollback(() =>
            {
                service.RemoveInstance(record.Id);
                AdjustEphemeralCount(record, null);
                service.MarkChanged(previousRevision);
            });
        }

        Changed(changes, service, record.Revision);
        return entry;
    }

    public void RemoveInstance(ChangeSet changes, ServiceEntry service, InstanceEntry entry, long revision)
    {
        var record = entry.Record;
        changes.Delete(NamingCollections.Instances, service.Key.InstanceKey(record.Id));
        var previousRevision = service.Revision;
        if (!service.Instances.ContainsKey(record.Id))
        {
            return;
        }

        service.RemoveInstance(record.Id);
        entry.SetRemoved(true);
        AdjustEphemeralCount(record, null);
        Changed(changes, service, revision);
        changes.OnRollback(() =>
        {
            entry.SetRemoved(false);
            service.SetInstance(entry, record);
            AdjustEphemeralCount(null, record);
            service.MarkChanged(previousRevision);
        });
    }

    /// <summary>
    /// Stores a version of the service's metadata document (a tombstone deletes it) with its history entry.
    /// The document takes its own revision; the instance view it changes (effective weights, protocols)
    /// takes the next one, so each of the two events has an id of its own.
    /// </summary>
    public static void PutMetadata(ChangeSet changes, ServiceEntry service, ServiceMetadataRecord record)
    {
        var key = service.Key.ToString();
        changes.Put(MetadataCollections.Documents, key, record);
        changes.Create(MetadataCollections.History, MetadataCollections.VersionKey(key, record.Version), record);
        var (previous, previousRevision) = (service.Metadata, service.Revision);
        service.Metadata = record;
        changes.Emit(MetadataEvents.Changed(service.Key, record));
        Changed(changes, service, changes.NextRevision());
        changes.OnRollback(() =>
        {
            service.Metadata = previous;
            service.MarkChanged(previousRevision);
        });
    }

    /// <summary>Marks the service changed at <paramref name="revision"/> and emits its instance view once the batch is durable.</summary>
    private static void Changed(ChangeSet changes, ServiceEntry service, long revision)
    {
        service.MarkChanged(revision);
        changes.EmitLatest(NamingEvents.Topic(service.Key), NamingEvents.Instances, revision, rev => NamingEvents.InstancesChanged(service, rev));
    }

    private ServiceEntry Owner(string storeKey) =>
        _services.GetValueOrDefault(ServiceKey.Parse(storeKey))
        ?? throw new InvalidDataException($"'{storeKey}' is stored without its service.");

    private void AdjustEphemeralCount(InstanceRecord? before, InstanceRecord? after)
    {
        var delta = (after?.Ephemeral == true ? 1 : 0) - (before?.Ephemeral == true ? 1 : 0);
        if (delta != 0)
        {
            Interlocked.Add(ref _ephemeralCount, delta);
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
