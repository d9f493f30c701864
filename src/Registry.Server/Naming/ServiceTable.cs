using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Namespaces;

namespace Registry.Server.Naming;

/// <summary>
/// The services of the naming tree in memory, a projection of the log: each with its instances and routing. Readers take a
/// service's <see cref="ServiceView"/> lock-free; only applied entries change it, each change making the next view.
/// </summary>
internal sealed partial class ServiceTable(LeasePolicy leases, TimeProvider time, ILogger<ServiceTable> logger)
    : IProjection, ISnapshottedProjection, INamespaceContents
{
    /// <summary>Instances per document of the naming snapshot.</summary>
    private const int ChunkSize = 512;

    private readonly ConcurrentDictionary<ServiceKey, ServiceNode> _services = new();

    /// <summary>Services changed since the last snapshot was taken; changed only between applies, under their gate.</summary>
    private HashSet<ServiceKey> _changed = [];
    private int _ephemeralCount;
    private long _version;
    private readonly ConcurrentDictionary<string, NamespaceTally> _tallies = new(StringComparer.Ordinal);

    public int EphemeralCount => Volatile.Read(ref _ephemeralCount);

    /// <summary>Grows with every entry applied: whoever keeps something built from the tree knows when to build it again.</summary>
    public long Version => Interlocked.Read(ref _version);

    public IEnumerable<ServiceView> Services => _services.Values.Select(static node => node.View);

    public ServiceView? Find(ServiceKey key) => _services.TryGetValue(key, out var node) ? node.View : null;

    public Instance? FindInstance(ServiceKey key, string id) => Find(key)?.Find(id);

    /// <summary>Services and instances of a namespace, kept as changes are applied: no scan.</summary>
    public NamespaceCounts Count(string ns) => _tallies.TryGetValue(ns, out var tally) ? tally.Counts : default;

    /// <summary>The counts of every namespace that ever held a service (zeros once emptied).</summary>
    public IEnumerable<(string Namespace, NamespaceCounts Counts)> Tallies => _tallies.Select(static t => (t.Key, t.Value.Counts));

    /// <summary>
    /// Builds the tree from the snapshot (and from instances stored one by one by earlier versions); ephemeral
    /// instances get a full lease from now. A service's revision is that of its newest record.
    /// </summary>
    public void Load(IDocumentReader snapshot)
    {
        var beat = time.GetTimestamp();
        foreach (var document in snapshot.Scan(NamingChanges.Services.Name))
        {
            var key = ServiceKey.Parse(document.Key);
            var record = NamingChanges.Services.Deserialize(document.Value);
            _services[key] = new ServiceNode(new ServiceView(key, record, ServiceView.NoInstances, null, record.Revision));
        }

        var instances = new Dictionary<ServiceKey, ImmutableSortedDictionary<string, Instance>.Builder>();
        void Add(ServiceKey key, InstanceRecord record)
        {
            if (!instances.TryGetValue(key, out var builder))
            {
                instances[key] = builder = ServiceView.NoInstances.ToBuilder();
            }

            builder[record.Id] = new Instance(record, record.Revision, beat);
        }

        foreach (var document in snapshot.Scan(NamingChanges.InstanceChunks.Name))
        {
            var key = ServiceKey.Parse(document.Key);
            foreach (var record in NamingChanges.InstanceChunks.Deserialize(document.Value))
            {
                Add(key, record);
            }
        }

        foreach (var document in snapshot.Scan(NamingChanges.InstanceDocuments.Name))
        {
            Add(ServiceKey.Parse(document.Key), NamingChanges.InstanceDocuments.Deserialize(document.Value));
        }

        foreach (var (key, builder) in instances)
        {
            var node = _services.GetValueOrDefault(key)
                ?? throw new InvalidDataException($"Instances of '{key}' are stored without their service.");
            var loaded = builder.ToImmutable();
            _ephemeralCount += loaded.Values.Count(static i => i.Ephemeral);
            var view = node.View;
            node.View = new ServiceView(key, view.Record, loaded, view.Routing, Math.Max(view.Revision, loaded.Values.Max(static i => i.Revision)));
        }

        foreach (var (key, node) in _services)
        {
            var view = node.View;
            Tally(key.Namespace, 1, view.InstanceCount, view.Instances.Count(static i => i.Healthy));
        }

        Interlocked.Increment(ref _version);
    }

    public Action<IDocumentWriter> Capture(bool full)
    {
        var changed = full ? [.. _services.Keys] : _changed;
        _changed = [];
        var views = changed.Select(key => (Key: key, View: Find(key))).ToList();
        return writer =>
        {
            if (full)
            {
                writer.DeleteRange(NamingChanges.InstanceChunks.Name, "", "\uffff");
                writer.DeleteRange(NamingChanges.InstanceDocuments.Name, "", "\uffff");
            }

            foreach (var (key, view) in views)
            {
                var prefix = key.ToString();
                if (!full)
                {
                    writer.DeleteRange(NamingChanges.InstanceChunks.Name, prefix + "/", prefix + "0");
                }

                var chunk = 0;
                foreach (var records in (view?.Instances ?? []).Select(static i => i.ToRecord()).Chunk(ChunkSize))
                {
                    NamingChanges.InstanceChunks.Put(writer, string.Create(CultureInfo.InvariantCulture, $"{prefix}/{chunk++:D6}"), records);
                }
            }
        };
    }

    public void Apply(LogEntry entry, EventBatch events)
    {
        foreach (var change in entry.Changes)
        {
            switch (change)
            {
                case ServicePut put:
                    var record = put.Record with { Revision = entry.Revision };
                    if (_services.TryGetValue(put.Service, out var existing))
                    {
                        Update(existing, view => new ServiceView(view.Key, record, view.InstancesById, view.Routing, entry.Revision), events);
                    }
                    else
                    {
                        var node = new ServiceNode(new ServiceView(put.Service, record, ServiceView.NoInstances, null, entry.Revision));
                        _services[put.Service] = node;
                        Tally(put.Service.Namespace, 1, 0, 0);
                        _changed.Add(put.Service);
                        Changed(node, events);
                    }

                    break;
                case ServiceRemoved removed when _services.TryRemove(removed.Service, out var node):
                    Tally(removed.Service.Namespace, -1, -node.View.InstanceCount, -node.View.Instances.Count(static i => i.Healthy));
                    Update(node, view => new ServiceView(view.Key, view.Record, view.InstancesById, view.Routing, entry.Revision), events);
                    break;
                case InstancePut put:
                    PutInstance(Node(put.Service, entry.Revision), put.Record, entry.Revision, events);
                    break;
                case InstanceRemoved removed when _services.TryGetValue(removed.Service, out var node):
                    RemoveInstance(node, removed.Id, entry.Revision, events);
                    break;
            }
        }

        // Counted once the entry is in: who reads the new version sees its changes.
        Interlocked.Increment(ref _version);
    }

    /// <summary>
    /// Sets how the metadata center routes consumers to the service's instances: a change of its view at
    /// <paramref name="revision"/>, published with <paramref name="events"/> (none while loading).
    /// </summary>
    public void SetRouting(ServiceKey key, ServiceRouting? routing, long revision, EventBatch? events)
    {
        if (_services.TryGetValue(key, out var node))
        {
            Update(node, view => new ServiceView(view.Key, view.Record, view.InstancesById, routing, Math.Max(view.Revision, revision)), events);
        }
    }

    private void PutInstance(ServiceNode node, InstanceRecord record, long revision, EventBatch events)
    {
        var previous = node.View.Find(record.Id);

        // A new owner never saw a beat of it: its lease starts afresh there.
        var instance = new Instance(
            record, revision, previous is not null && previous.Owner == record.Owner ? previous.LastBeat : time.GetTimestamp());
        previous?.ReplaceWith(instance);
        AdjustEphemeralCount(previous?.Ephemeral, instance.Ephemeral);
        Tally(node.View.Key.Namespace, 0, previous is null ? 1 : 0, (instance.Healthy ? 1 : 0) - (previous?.Healthy == true ? 1 : 0));
        Update(node, view => new ServiceView(view.Key, view.Record, view.InstancesById.SetItem(record.Id, instance), view.Routing, revision), events);
    }

    private void RemoveInstance(ServiceNode node, string id, long revision, EventBatch events)
    {
        if (node.View.Find(id) is not { } instance)
        {
            return;
        }

        instance.MarkRemoved();
        AdjustEphemeralCount(instance.Ephemeral, null);
        Tally(node.View.Key.Namespace, 0, -1, instance.Healthy ? -1 : 0);
        Update(node, view => new ServiceView(view.Key, view.Record, view.InstancesById.Remove(id), view.Routing, revision), events);
    }

    /// <summary>The service an instance belongs to; a missing one (never written without its service) is made with defaults.</summary>
    private ServiceNode Node(ServiceKey key, long revision)
    {
        if (_services.TryGetValue(key, out var node))
        {
            return node;
        }

        LogServiceMissing(key.Namespace, key.Group, key.Name, revision);
        node = new ServiceNode(new ServiceView(
            key, new ServiceRecord(0, MetadataMaps.Empty, time.GetUtcNow(), revision), ServiceView.NoInstances, null, revision));
        _services[key] = node;
        _changed.Add(key);
        Tally(key.Namespace, 1, 0, 0);
        return node;
    }

    private void Update(ServiceNode node, Func<ServiceView, ServiceView> change, EventBatch? events)
    {
        node.View = change(node.View);
        _changed.Add(node.View.Key);
        if (events is not null)
        {
            Changed(node, events);
        }
    }

    /// <summary>The service's instance view goes out once per batch, as of the end of the batch.</summary>
    private void Changed(ServiceNode node, EventBatch events) =>
        events.AddLatest(NamingEvents.Topic(node.View.Key), NamingEvents.Instances, node.View.Revision,
            revision => NamingEvents.InstancesChanged(node.View, revision, leases));

    /// <summary>Called by the one applying thread; readers may see one count of a namespace move before another.</summary>
    private void Tally(string ns, int services, int instances, int healthy)
    {
        var tally = _tallies.GetOrAdd(ns, static _ => new NamespaceTally());
        Interlocked.Add(ref tally.Services, services);
        Interlocked.Add(ref tally.Instances, instances);
        Interlocked.Add(ref tally.Healthy, healthy);
    }

    private void AdjustEphemeralCount(bool? before, bool? after)
    {
        var delta = (after == true ? 1 : 0) - (before == true ? 1 : 0);
        if (delta != 0)
        {
            Interlocked.Add(ref _ephemeralCount, delta);
        }
    }

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning,
        Message = "An instance of {Namespace}/{Group}/{Service} came at revision {Revision} without its service; made it with defaults")]
    private partial void LogServiceMissing(string @namespace, string group, string service, long revision);

    /// <summary>A service in the tree: its current view, replaced whole by each applied change.</summary>
    private sealed class NamespaceTally
    {
        public int Services;
        public int Instances;
        public int Healthy;

        public NamespaceCounts Counts => new(Volatile.Read(ref Services), Volatile.Read(ref Instances), Volatile.Read(ref Healthy), 0);
    }

    private sealed class ServiceNode(ServiceView view)
    {
        private ServiceView _view = view;

        public ServiceView View
        {
            get => Volatile.Read(ref _view);
            set => Volatile.Write(ref _view, value);
        }
    }
}
