namespace Registry.Server.Naming;

/// <summary>
/// An instance in memory: its registration (immutable, replaced by the writer) and its last beat, which
/// heartbeats update in place without going through the writer or the disk.
/// </summary>
internal sealed class InstanceEntry(InstanceRecord record, long lastBeatTicks)
{
    private InstanceRecord _record = record;
    private long _lastBeatTicks = lastBeatTicks;

    public InstanceRecord Record
    {
        get => Volatile.Read(ref _record);
        set => Volatile.Write(ref _record, value);
    }

    /// <summary>UTC ticks of the last heartbeat (or registration, or server start).</summary>
    public long LastBeatTicks => Interlocked.Read(ref _lastBeatTicks);

    public void Beat(DateTimeOffset now) => Interlocked.Exchange(ref _lastBeatTicks, now.UtcTicks);
}
