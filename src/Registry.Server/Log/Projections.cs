using Registry.Server.Events;

namespace Registry.Server.Log;

/// <summary>
/// A part of the in-memory state built from the log: loaded from the snapshot store at start, then changed only by
/// applying durable entries, in revision order. Readers read it lock-free at any time.
/// </summary>
internal interface IProjection
{
    void Load(IDocumentReader snapshot);

    /// <summary>Applies what of <paramref name="entry"/> concerns it, and says so on the feed through <paramref name="events"/>.</summary>
    void Apply(LogEntry entry, EventBatch events);
}

/// <summary>
/// A projection that the snapshot store holds whole, written at checkpoints, rather than change by change: its
/// changes come too often to materialize one by one (registrations, health), so they stay in the log until a
/// snapshot holds them. Its changes materialize nothing.
/// </summary>
internal interface ISnapshottedProjection
{
    /// <summary>
    /// What changed since the last capture (everything when <paramref name="full"/>), as a writer of its documents.
    /// Called between applies; it takes immutable state, so the writer may run later, off the apply path.
    /// </summary>
    Action<IDocumentWriter> Capture(bool full);
}

/// <summary>
/// The events of one applied batch. A topic whose event is its whole current state is published once per batch,
/// built after the batch is applied, under the latest revision that changed it.
/// </summary>
internal sealed class EventBatch
{
    private readonly List<ChangeEvent> _ready = [];
    private readonly Dictionary<(EventTopic Topic, string Type), (long Revision, Func<long, ChangeEvent> Build)> _latest = [];

    public void Add(ChangeEvent change) => _ready.Add(change);

    public void AddLatest(EventTopic topic, string type, long revision, Func<long, ChangeEvent> build) =>
        _latest[(topic, type)] = (revision, build);

    internal List<ChangeEvent> Build()
    {
        var events = new List<ChangeEvent>(_ready.Count + _latest.Count);
        events.AddRange(_ready);
        foreach (var (revision, build) in _latest.Values)
        {
            events.Add(build(revision));
        }

        // Stable: events of one revision keep the order they were added in (a document before the list it changes).
        return [.. events.OrderBy(static e => e.Revision)];
    }
}

/// <summary>
/// The projections and the feed as one sink of the log. Applying a batch and publishing its events happen under one
/// gate, so a watch that subscribes with a snapshot sees the state exactly as of the revision its stream resumes at.
/// </summary>
internal sealed partial class ProjectionSet(IEnumerable<IProjection> projections, ChangeFeed feed, ILogger<ProjectionSet> logger)
    : ILogSink
{
    private readonly IProjection[] _projections = [.. projections];
    private readonly Lock _gate = new();
    private long _applied;

    public void Load(IDocumentReader snapshot, long revision)
    {
        lock (_gate)
        {
            foreach (var projection in _projections)
            {
                projection.Load(snapshot);
            }

            _applied = revision;
            feed.Start(revision);
        }
    }

    public SnapshotCapture Capture(bool full)
    {
        lock (_gate)
        {
            var writers = _projections.OfType<ISnapshottedProjection>().Select(projection => projection.Capture(full)).ToList();
            return new SnapshotCapture(_applied, writer => writers.ForEach(write => write(writer)));
        }
    }

    public void Apply(IReadOnlyList<LogEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            var events = new EventBatch();
            foreach (var entry in entries)
            {
                foreach (var projection in _projections)
                {
                    try
                    {
                        projection.Apply(entry, events);
                    }
                    catch (Exception ex)
                    {
                        // The entry is durable: a projection that cannot take it is a bug, logged, never a reason to stop.
                        LogApplyFailed(ex, entry.Revision, projection.GetType().Name);
                    }
                }
            }

            _applied = entries[^1].Revision;
            feed.Append(events.Build(), entries[^1].Revision);
        }
    }

    /// <summary>
    /// Subscribes to the feed and takes a snapshot of the projections with nothing applied in between: the snapshot
    /// shows the state at <see cref="Subscription.StartRevision"/> and the stream goes on right after it.
    /// </summary>
    public (Subscription Subscription, T Snapshot) SubscribeWithSnapshot<T>(
        Func<ChangeEvent, bool> filter, long? after, Func<Subscription, T> snapshot)
    {
        lock (_gate)
        {
            feed.Flush();
            var subscription = feed.Subscribe(filter, after);
            return (subscription, snapshot(subscription));
        }
    }

    [LoggerMessage(EventId = 1030, Level = LogLevel.Critical,
        Message = "Applying the durable entry at revision {Revision} to the {Projection} failed; memory may differ from the log until a restart")]
    private partial void LogApplyFailed(Exception exception, long revision, string projection);
}
