using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Registry.Server.Events;

/// <summary>
/// The one change feed: every committed change, in revision order, kept in a bounded log for resuming and
/// handed to the live subscriptions whose filter it matches. Publishing never blocks: a subscriber whose
/// buffer is full is dropped with <see cref="Subscription.Overflowed"/> set, so no stream can hold up the
/// writer or the other streams, or grow memory without bound.
/// </summary>
/// <remarks>
/// Coalescing: once a coalescible change arrives, everything committed during the next
/// <see cref="EventOptions.CoalesceWindow"/> is held, then published with only the latest coalescible event
/// of each topic kept. Holding everything (not only the coalesced topics) keeps the log in revision order,
/// so a resume never skips an event.
/// </remarks>
internal sealed class ChangeFeed : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Queue<ChangeEvent> _retained = new();
    private readonly List<Subscription> _subscribers = [];
    private readonly EventOptions _options;
    private readonly TimeProvider _time;
    private List<ChangeEvent>? _held;
    private long _heldThrough;
    private ITimer? _flush;
    private long _retainedBytes;
    private long _revision;

    /// <summary>Events up to this revision are no longer held (at start: everything before it).</summary>
    private long _forgottenThrough;

    public ChangeFeed(IOptions<EventOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
    }

    /// <summary>Where the feed begins: the revision the server loaded; nothing before it can be replayed.</summary>
    public void Start(long revision)
    {
        lock (_lock)
        {
            _revision = Math.Max(_revision, revision);
            _forgottenThrough = Math.Max(_forgottenThrough, revision);
        }
    }

    /// <summary>The last committed revision the feed knows of.</summary>
    public long Revision
    {
        get
        {
            lock (_lock)
            {
                return _revision;
            }
        }
    }

    /// <summary>Open watches; the server's own consumers of the feed are not counted.</summary>
    public int SubscriberCount
    {
        get
        {
            lock (_lock)
            {
                return _subscribers.Count(s => !s.Internal);
            }
        }
    }

    /// <summary>Adds the events of an applied batch that ends at <paramref name="revision"/>, in revision order.</summary>
    public void Append(IReadOnlyList<ChangeEvent> events, long revision)
    {
        lock (_lock)
        {
            if (_held is null && (_options.CoalesceWindow <= TimeSpan.Zero || !events.Any(e => e.Coalescible)))
            {
                Publish(events, revision);
                return;
            }

            if (_held is null)
            {
                _held = [];
                _flush = _time.CreateTimer(_ => Flush(), null, _options.CoalesceWindow, Timeout.InfiniteTimeSpan);
            }

            _held.AddRange(events);
            _heldThrough = Math.Max(_heldThrough, revision);
        }
    }

    /// <summary>Publishes what the coalescing window holds: the latest coalescible event per topic, and all others.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            if (_held is null)
            {
                return;
            }

            var latest = new Dictionary<(EventTopic, string), long>();
            foreach (var change in _held.Where(e => e.Coalescible))
            {
                latest[(change.Topic, change.Type)] = change.Revision;
            }

            var events = _held.Where(e => !e.Coalescible || latest[(e.Topic, e.Type)] == e.Revision).ToList();
            _held = null;
            _flush?.Dispose();
            _flush = null;
            Publish(events, _heldThrough);
        }
    }

    public void Dispose() => Flush();

    /// <summary>Called under the lock.</summary>
    private void Publish(IReadOnlyList<ChangeEvent> events, long revision)
    {
        foreach (var change in events)
        {
            _retained.Enqueue(change);
            _retainedBytes += change.Size;
            for (var i = _subscribers.Count - 1; i >= 0; i--)
            {
                if (!_subscribers[i].Offer(change))
                {
                    _subscribers.RemoveAt(i);
                }
            }
        }

        while (_retained.Count > 0 && (_retained.Count > _options.RetainedEvents || _retainedBytes > _options.RetainedBytes))
        {
            var dropped = _retained.Dequeue();
            _retainedBytes -= dropped.Size;
            _forgottenThrough = dropped.Revision;
        }

        _revision = Math.Max(_revision, revision);
    }

    /// <summary>
    /// Starts a subscription for the events <paramref name="filter"/> accepts. With <paramref name="after"/>
    /// it first replays every retained matching event after that revision, or asks for a reset when some of
    /// them are no longer retained (or the revision is unknown to this server).
    /// </summary>
    /// <param name="internalConsumer">A consumer inside the server (not a watch), left out of <see cref="SubscriberCount"/>.</param>
    public Subscription Subscribe(Func<ChangeEvent, bool> filter, long? after = null, bool internalConsumer = false)
    {
        lock (_lock)
        {
            var reset = after switch
            {
                { } last when last > _revision => Subscription.UnknownId,
                { } last when last < _forgottenThrough => Subscription.TooOld,
                _ => null,
            };
            var replay = after is { } from && reset is null
                ? _retained.Where(e => e.Revision > from && filter(e)).ToList()
                : [];
            var subscription = new Subscription(this, filter, _revision, replay, reset, _options.SubscriberBuffer)
            {
                Internal = internalConsumer,
            };
            _subscribers.Add(subscription);
            return subscription;
        }
    }

    internal void Remove(Subscription subscription)
    {
        lock (_lock)
        {
            _subscribers.Remove(subscription);
        }
    }
}

/// <summary>A live view of the feed: what to replay first, then the matching events as they commit.</summary>
internal sealed class Subscription : IDisposable
{
    private readonly ChangeFeed _feed;
    private readonly Func<ChangeEvent, bool> _filter;
    private readonly Channel<ChangeEvent> _events;
    private readonly CancellationTokenSource _overflow = new();
    private int _disposed;

    internal Subscription(
        ChangeFeed feed, Func<ChangeEvent, bool> filter, long start, IReadOnlyList<ChangeEvent> replay, string? reset, int buffer)
    {
        _feed = feed;
        _filter = filter;
        StartRevision = start;
        Replay = replay;
        ResetReason = reset;
        _events = Channel.CreateBounded<ChangeEvent>(new BoundedChannelOptions(buffer)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>True for a consumer inside the server rather than a watch.</summary>
    public bool Internal { get; init; }

    /// <summary>The feed's revision when the subscription started: every later event is delivered.</summary>
    public long StartRevision { get; }

    /// <summary>Retained events after the requested revision, oldest first.</summary>
    public IReadOnlyList<ChangeEvent> Replay { get; }

    /// <summary>The events after the requested revision are no longer retained.</summary>
    public const string TooOld = "too-old";

    /// <summary>The requested revision is newer than any this server has (another server's, or from before a restore).</summary>
    public const string UnknownId = "unknown-id";

    /// <summary>Why the client must re-read instead of resuming (<see cref="TooOld"/>, <see cref="UnknownId"/>); null when it resumes.</summary>
    public string? ResetReason { get; }

    public bool ResetRequired => ResetReason is not null;

    public ChannelReader<ChangeEvent> Events => _events.Reader;

    /// <summary>Cancelled when the subscriber fell too far behind and was dropped.</summary>
    public CancellationToken Overflowed => _overflow.Token;

    /// <summary>Called under the feed's lock; false drops the subscriber.</summary>
    internal bool Offer(ChangeEvent change)
    {
        if (!_filter(change) || _events.Writer.TryWrite(change))
        {
            return true;
        }

        _events.Writer.TryComplete();
        _overflow.Cancel();
        return false;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _feed.Remove(this);
            _events.Writer.TryComplete();
            _overflow.Dispose();
        }
    }
}
