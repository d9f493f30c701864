using Registry.Server.Infrastructure;

namespace Registry.Server.Naming;

/// <summary>
/// An instance in the naming tree: its registration as of a revision (immutable: a change makes a new instance) and
/// its lease (mutable: heartbeats renew it in place, without the log). Held compactly, since a registry holds
/// hundreds of thousands of them.
/// </summary>
/// <remarks>
/// When a change replaces an instance, the old one points to its successor and hands it the lease, under its lock,
/// so a beat that found the old one lands on the new one. A lease decision (unhealthy, evicted) on its way to the
/// log holds beats back until it is applied or refused: a beat is never lost between the sweeper's check and its change.
/// </remarks>
internal sealed class Instance : ILeaseTerms
{
    private const byte EnabledFlag = 1, HealthyFlag = 2, EphemeralFlag = 4, RemovedFlag = 8;
    private readonly LeaseOverrides? _lease;
    private readonly double _weight;
    private readonly long _registeredAtTicks;
    private long _lastBeat;
    private Instance? _successor;
    private TaskCompletionSource? _decision;
    private byte _flags;

    public Instance(InstanceRecord record, long revision, long lastBeat)
    {
        Id = record.Id;
        Ip = record.Ip;
        Port = record.Port;
        Cluster = record.Cluster == NameRules.DefaultCluster ? NameRules.DefaultCluster : record.Cluster;
        Metadata = CompactMap.From(record.Metadata);
        _weight = record.Weight ?? double.NaN;
        _flags = (byte)((record.Enabled ? EnabledFlag : 0) | (record.Healthy ? HealthyFlag : 0) | (record.Ephemeral ? EphemeralFlag : 0));
        _lease = LeaseOverrides.Of(record);
        _registeredAtTicks = record.RegisteredAt.UtcTicks;
        Revision = revision;
        Owner = NodeIds.Intern(record.Owner);
        HealthCheck = record.HealthCheck;
        _lastBeat = lastBeat;
    }

    public string Id { get; }

    public string Ip { get; }

    public int Port { get; }

    public string Cluster { get; }

    public double? Weight => double.IsNaN(_weight) ? null : _weight;

    public bool Enabled => (_flags & EnabledFlag) != 0;

    public bool Healthy => (_flags & HealthyFlag) != 0;

    public bool Ephemeral => (_flags & EphemeralFlag) != 0;

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public long? HeartbeatIntervalMs => _lease?.HeartbeatIntervalMs;

    public long? UnhealthyAfterMs => _lease?.UnhealthyAfterMs;

    public long? EvictAfterMs => _lease?.EvictAfterMs;

    public DateTimeOffset RegisteredAt => new(_registeredAtTicks, TimeSpan.Zero);

    /// <summary>The revision of the change that made this registration.</summary>
    public long Revision { get; }

    /// <summary>
    /// When the last heartbeat came (or the registration, or the server's start), as a timestamp of the server's
    /// monotonic clock (<see cref="TimeProvider.GetTimestamp"/>): stepping the wall clock moves no lease.
    /// </summary>
    public long LastBeat => Interlocked.Read(ref _lastBeat);

    /// <summary>The last heartbeat on today's wall clock: as long ago as the monotonic clock says.</summary>
    public DateTimeOffset LastBeatAt(TimeProvider time) => time.GetUtcNow() - time.GetElapsedTime(LastBeat);

    /// <summary>The node that judges its lease, in a cluster; null on a single node.</summary>
    public string? Owner { get; }

    /// <summary>A persistent instance's own health check; null when it follows its service's.</summary>
    public HealthCheckRecord? HealthCheck { get; }

    public InstanceRecord ToRecord() => new(
        Id, Ip, Port, Cluster, Weight, Enabled, Healthy, Ephemeral, Metadata, HeartbeatIntervalMs, UnhealthyAfterMs, EvictAfterMs,
        RegisteredAt, Revision, Owner, HealthCheck);

    /// <summary>
    /// Renews the lease of this instance or of whatever replaced it. The instance beaten, or null once it was removed;
    /// <paramref name="decided"/> is set instead while a lease decision about it is on its way to the log.
    /// </summary>
    /// <param name="now">A timestamp of the server's monotonic clock.</param>
    public Instance? Beat(long now, out Task? decided)
    {
        var instance = this;
        while (true)
        {
            if (instance.BeatThis(now, out decided, out var beaten) is not { } successor)
            {
                return beaten ? instance : null;
            }

            instance = successor;
        }
    }

    /// <summary>Renews this instance's lease; returns its successor instead when it was replaced.</summary>
    private Instance? BeatThis(long now, out Task? decided, out bool beaten)
    {
        lock (this)
        {
            decided = null;
            beaten = false;
            if (_successor is { } successor)
            {
                return successor;
            }

            decided = _decision?.Task;
            if (decided is null && (_flags & RemovedFlag) == 0)
            {
                _lastBeat = now;
                beaten = true;
            }

            return null;
        }
    }

    /// <summary>
    /// Starts a lease decision if the instance has been silent for longer than <paramref name="silence"/> at
    /// <paramref name="now"/> (a timestamp of <paramref name="time"/>): from here on beats wait for
    /// <see cref="EndDecision"/>. False when a beat came first.
    /// </summary>
    public bool TryBeginDecision(TimeProvider time, long now, TimeSpan silence)
    {
        lock (this)
        {
            if (_successor is not null || _decision is not null || (_flags & RemovedFlag) != 0
                || time.GetElapsedTime(_lastBeat, now) <= silence)
            {
                return false;
            }

            _decision = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return true;
        }
    }

    /// <summary>The decision was applied (the instance was replaced or removed by then) or refused: beats go on.</summary>
    public void EndDecision()
    {
        TaskCompletionSource? decision;
        lock (this)
        {
            decision = _decision;
            _decision = null;
        }

        decision?.TrySetResult();
    }

    /// <summary>Applied: <paramref name="successor"/> replaces this instance and takes its lease.</summary>
    internal void ReplaceWith(Instance successor)
    {
        lock (this)
        {
            successor._lastBeat = _lastBeat;
            _successor = successor;
        }
    }

    /// <summary>Applied: the instance is gone; a beat on it gets nothing.</summary>
    internal void MarkRemoved()
    {
        lock (this)
        {
            _flags |= RemovedFlag;
        }
    }

    /// <summary>An instance's own lease terms; most instances have none, and share null.</summary>
    private sealed record LeaseOverrides(long? HeartbeatIntervalMs, long? UnhealthyAfterMs, long? EvictAfterMs)
    {
        public static LeaseOverrides? Of(InstanceRecord terms) =>
            terms.HeartbeatIntervalMs is null && terms.UnhealthyAfterMs is null && terms.EvictAfterMs is null
                ? null
                : new LeaseOverrides(terms.HeartbeatIntervalMs, terms.UnhealthyAfterMs, terms.EvictAfterMs);
    }
}
