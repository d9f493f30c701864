namespace Registry.Server.Infrastructure;

/// <summary>
/// Gives memory back to the operating system after a burst: once the process has allocated a lot since it last did
/// and then goes quiet, one compacting collection decommits what the burst left committed. Without it, a server that
/// took 100,000 registrations in a minute keeps the garbage collector's high-water mark (well over twice what the
/// instances hold) until the next burst, since a quiet process triggers no collection.
/// </summary>
internal sealed partial class MemoryTrimmer(TimeProvider time, ILogger<MemoryTrimmer> logger) : BackgroundService
{
    /// <summary>How often the allocation rate is looked at.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly TrimPolicy _policy = new(GC.GetTotalAllocatedBytes());

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync(Period, time, _ =>
        {
            if (_policy.ShouldTrim(GC.GetTotalAllocatedBytes()))
            {
                var before = Environment.WorkingSet;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                _policy.Trimmed(GC.GetTotalAllocatedBytes());
                LogTrimmed(before >> 20, Environment.WorkingSet >> 20);
            }

            return Task.CompletedTask;
        }, LogTrimFailed, stoppingToken);

    [LoggerMessage(EventId = 1040, Level = LogLevel.Debug, Message = "Gave memory back after a burst: {BeforeMiB} MiB resident, now {AfterMiB} MiB")]
    private partial void LogTrimmed(long beforeMiB, long afterMiB);

    [LoggerMessage(EventId = 1041, Level = LogLevel.Warning, Message = "Giving memory back failed")]
    private partial void LogTrimFailed(Exception exception);
}

/// <summary>
/// When to trim, from the process's allocated-bytes counter read once per period: after a burst (much allocated since
/// the last trim), at the first period that allocates little. Steady load never counts as quiet, and needs no trim:
/// its collections run anyway.
/// </summary>
internal sealed class TrimPolicy(long allocated)
{
    /// <summary>Allocated since the last trim that makes a burst worth giving back.</summary>
    public const long Burst = 256L << 20;

    /// <summary>Allocated within one period by a process that counts as quiet.</summary>
    public const long Quiet = 4L << 20;

    private long _trimmedAt = allocated;
    private long _last = allocated;

    public bool ShouldTrim(long allocated)
    {
        var quiet = allocated - _last < Quiet;
        _last = allocated;
        return quiet && allocated - _trimmedAt >= Burst;
    }

    public void Trimmed(long allocated) => _trimmedAt = _last = allocated;
}
