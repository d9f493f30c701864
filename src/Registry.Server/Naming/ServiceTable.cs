using System.Collections.Concurrent;
using System.Collections.Immutable;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Namespaces;

namespace Registry.Server.Naming;

/// <summary>
/// The services of the naming tree in memory, a projection of the log: each with its instances and routing. Readers take a
/// service's <see cref="ServiceView"/> lock-free; only applied entries change it, each change making the next view.
/// </summary>
internal sealed partial class ServiceTable(LeasePolicy leases, TimeProvider time, ILogger<ServiceTable> logger)
    : IProjection, INamespaceContents
{
    private readonly ConcurrentDictionary<ServiceKey, ServiceNode> _services = new();
    private int _ephemeralCount;

    public int EphemeralCount => Volatile.Read(ref _ephemeralCount);

    public IEnumerable<ServiceView> Services => _services.Values.Select(static node => node.View);

    public ServiceView? Find(ServiceKey key) => _services.TryGetValue(key, out var node) ? node.View : null;

    public Instance? FindInstance(ServiceKey key, string id) => Find(key)?.Find(id);

    public NamespaceCounts Count(string ns)
    {
        int services = 0, instances = 0, healthy = 0;
        foreach (var (key, node) in _services)
        {
            if (key.Namespace == ns)
            {
                var view = node.View;
                services++;
                instances += view.InstanceCount;
                healthy += view.Instances.Count(static i => i.Healthy);
            }
        }

        return new NamespaceCounts(services, instances, healthy, 0);
    }

    /// <summary>Builds the tree; ephemeral instances get a full lease from now. A service's revision is that of its newest record.</summary>
    public void Load(IDocumentReader snapshot)
    {
        var beat = time.GetUtcNow().UtcTicks;
        foreach (var document in snapshot.Scan(NamingChanges.Services.Name))
        {
            var key = ServiceKey.Parse(document.Key);
            var record = NamingChanges.Services.Deserialize(document.Value);
            _services[key] = new ServiceNode(new ServiceView(key, record, ServiceView.NoInstances, null, record.Revision));
        }

        // Instances come in key order, so service by service and each service's in id order: one tree built per service.
        var builder = ServiceView.NoInstances.ToBuilder();
        ServiceKey? current = null;
        var revision = 0L;
        foreach (var document in snapshot.Scan(NamingChanges.InstanceDocuments.Name))
        {
            var key = ServiceKey.Parse(document.Key);
            if (current != key)
            {
                Flush(current, builder, revision);
                current = key;
                revision = 0;
            }

            var record = NamingChanges.InstanceDocuments.Deserialize(document.Value);
            builder[record.Id] = new Instance(record, record.Revision, beat);
            revision = Math.Max(revision, record.Revision);
            if (record.Ephemeral)
            {
                _ephemeralCount++;
            }
        }

        Flush(current, builder, revision);
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
                        Changed(node, events);
                    }

                    break;
                case ServiceRemoved removed when _services.TryRemove(removed.Service, out var node):
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
        var instance = new Instance(record, revision, previous?.LastBeatTicks ?? time.GetUtcNow().UtcTicks);
        previous?.ReplaceWith(instance);
        AdjustEphemeralCount(previous?.Ephemeral, instance.Ephemeral);
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
        return node;
    }

    private void Update(ServiceNode node, Func<ServiceView, ServiceView> change, EventBatch? events)
    {
        node.View = change(node.View);
        if (events is not null)
        {
            Changed(node, events);
        }
    }

    /// <summary>The service's instance view goes out once per batch, as of the end of the batch.</summary>
    private void Changed(ServiceNode node, EventBatch events) =>
        events.AddLatest(NamingEvents.Topic(node.View.Key), NamingEvents.Instances, node.View.Revision,
            revision => NamingEvents.InstancesChanged(node.View, revision, leases));

    private void Flush(ServiceKey? key, ImmutableSortedDictionary<string, Instance>.Builder builder, long revision)
    {
        if (key is not { } service || builder.Count == 0)
        {
            return;
        }

        if (!_services.TryGetValue(service, out var node))
        {
            throw new InvalidDataException($"Instances of '{service}' are stored without their service.");
        }

        var view = node.View;
        node.View = new ServiceView(service, view.Record, builder.ToImmutable(), view.Routing, Math.Max(view.Revision, revision));
        builder.Clear();
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
