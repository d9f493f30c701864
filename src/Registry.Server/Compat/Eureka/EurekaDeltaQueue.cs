using System.Collections.Immutable;
using Registry.Contracts.Naming;
using Registry.Server.Events;
using Registry.Server.Naming;

namespace Registry.Server.Compat.Eureka;

/// <summary>One change of Eureka's delta: what happened to which instance, and when.</summary>
internal sealed record EurekaDelta(DateTimeOffset At, string ActionType, InstanceInfo Instance)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
}

/// <summary>
/// Eureka's recent-changes queue, fed by the change feed: each service event is compared with the service's
/// previous instances to tell ADDED, MODIFIED and DELETED apart. Keeps <see cref="Retention"/> (3 minutes,
/// as Eureka does) and at most <see cref="MaxEntries"/>. If it falls behind the feed it starts over from the
/// current registry; the changes in between are missing and the delta's <c>apps__hashcode</c> tells a client
/// to fetch everything.
/// </summary>
internal sealed partial class EurekaDeltaQueue(
    ChangeFeed feed, ServiceTable services, LeasePolicy leases, TimeProvider time, ILogger<EurekaDeltaQueue> logger)
    : BackgroundService
{
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(3);
    public const int MaxEntries = 10_000;

    private readonly Lock _lock = new();
    private bool _disposed;
    private readonly Queue<EurekaDelta> _entries = new();
    private readonly Dictionary<ServiceKey, (long Revision, ImmutableSortedDictionary<string, Instance> Instances)> _known = [];
    private Subscription? _subscription;

    /// <summary>The changes of the retention window, oldest first.</summary>
    public IReadOnlyList<EurekaDelta> Recent()
    {
        lock (_lock)
        {
            Drain();
            var cutoff = time.GetUtcNow() - Retention;
            while (_entries.Count > 0 && _entries.Peek().At < cutoff)
            {
                _entries.Dequeue();
            }

            return [.. _entries];
        }
    }

    /// <summary>Subscribes before the server takes requests (and after the store is loaded), so no change is missed.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Drain();
        }

        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        // A host that failed to start disposes it without stopping it first: the loop ends on its own.
        lock (_lock)
        {
            _disposed = true;
            _subscription?.Dispose();
        }

        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _subscription!.Events.WaitToReadAsync(stoppingToken);
                lock (_lock)
                {
                    if (_disposed)
                    {
                        return;
                    }

                    Drain();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogDeltaFailed(ex);
            }
        }
    }

    /// <summary>Called under the lock: applies what the feed delivered, starting over if the subscription was dropped.</summary>
    private void Drain()
    {
        if (_subscription is null || _subscription.Overflowed.IsCancellationRequested)
        {
            _subscription?.Dispose();
            _subscription = feed.Subscribe(IsEurekaService, internalConsumer: true);
            _known.Clear();
            foreach (var view in services.Services.Where(s => IsEureka(s.Key)))
            {
                _known[view.Key] = (view.Revision, view.InstancesById);
            }
        }

        while (_subscription.Events.TryRead(out var change))
        {
            if (change.Payload is InstancesPayload { View: var view })
            {
                Apply(view);
            }
        }
    }

    private void Apply(ServiceView view)
    {
        var (revision, before) = _known.GetValueOrDefault(view.Key, (0L, ServiceView.NoInstances));
        if (view.Revision <= revision)
        {
            return;
        }

        var now = time.GetUtcNow();
        var routing = view.Routing;
        var after = view.InstancesById;
        foreach (var record in view.Instances)
        {
            var action = !before.TryGetValue(record.Id, out var old) ? EurekaDelta.Added
                : old.Revision != record.Revision ? EurekaDelta.Modified
                : null;
            if (action is not null)
            {
                Add(new EurekaDelta(now, action, record.ToInfo(view.Key, routing, leases)));
            }
        }

        foreach (var gone in before.Values.Where(r => !after.ContainsKey(r.Id)))
        {
            Add(new EurekaDelta(now, EurekaDelta.Deleted, gone.ToInfo(view.Key, routing, leases)));
        }

        // The view's own immutable map: shared with the tree, never copied.
        _known[view.Key] = (view.Revision, after);
    }

    private void Add(EurekaDelta delta)
    {
        _entries.Enqueue(delta);
        while (_entries.Count > MaxEntries)
        {
            _entries.Dequeue();
        }
    }

    private static bool IsEurekaService(ChangeEvent change) =>
        change.Topic.Kind == NamingEvents.Kind && change.Type == NamingEvents.Instances
        && change.Topic.Namespace == EurekaMapping.Namespace && change.Topic.Group == EurekaMapping.Group;

    private static bool IsEureka(ServiceKey key) => key.Namespace == EurekaMapping.Namespace && key.Group == EurekaMapping.Group;

    [LoggerMessage(EventId = 2201, Level = LogLevel.Error, Message = "The Eureka delta queue failed to apply a change")]
    private partial void LogDeltaFailed(Exception exception);
}
