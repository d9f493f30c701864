namespace Registry.Server.Naming;

/// <summary>
/// An instance in memory: its registration (immutable, replaced by the writer) and its last beat, which
/// heartbeats update in place without going through the writer or the disk.
/// </summary>
/// <remarks>
/// A beat and the writer's lease decisions (mark unhealthy, evict) lock the entry, so a beat either lands
/// before a decision, which then sees it, or after, and then sees the decision's outcome: a beat can never
/// be lost between the sweeper's check and its change.
/// </remarks>
internal sealed class InstanceEntry(InstanceRecord record, long lastBeatTicks)
{
    private InstanceRecord _record = record;
    private long _lastBeatTicks = lastBeatTicks;
    private bool _removed;

    public InstanceRecord Record => Volatile.Read(ref _record);

    /// <summary>UTC ticks of the last heartbeat (or registration, or server start).</summary>
    public long LastBeatTicks => Interlocked.Read(ref _lastBeatTicks);

    /// <summary>Renews the lease; returns the registration as of the beat, or null once the instance was removed.</summary>
    public InstanceRecord? Beat(DateTimeOffset now)
    {
        lock (this)
        {
            if (_removed)
            {
                return null;
            }

            Interlocked.Exchange(ref _lastBeatTicks, now.UtcTicks);
            return _record;
        }
    }

    /// <summary>Runs a writer decision that depends on the lease, with no beat in between.</summary>
    public T Decide<T>(Func<InstanceEntry, T> decision)
    {
        lock (this)
        {
            return decision(this);
        }
    }

    internal void Set(InstanceRecord record)
    {
        lock (this)
        {
            Volatile.Write(ref _record, record);
        }
    }

    internal void SetRemoved(bool removed)
    {
        lock (this)
        {
            _removed = removed;
        }
    }
}
