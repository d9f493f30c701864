using Microsoft.Extensions.Options;
using Registry.Server.Infrastructure;
using Registry.Server.Metrics;
using Registry.Server.Storage;

namespace Registry.Server.Naming;

/// <summary>
/// Marks ephemeral instances unhealthy once their lease's <c>unhealthyAfter</c> has passed without a beat,
/// and evicts them after <c>evictAfter</c>, unless <see cref="SelfPreservation"/> holds the evictions back.
/// Persistent instances are never touched.
/// </summary>
internal sealed partial class HeartbeatSweeper(
    NamingRegistry registry,
    Committer committer,
    LeasePolicy leases,
    SelfPreservation selfPreservation,
    RegistryMetrics metrics,
    IOptions<NamingOptions> options,
    TimeProvider time,
    ILogger<HeartbeatSweeper> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync(options.Value.SweepInterval, time, SweepAsync, LogSweepFailed, stoppingToken);

    /// <summary>One sweep at the current time; sweeps never overlap.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            var (suspects, expired) = FindLapsed(now);
            if (selfPreservation.ShouldHold(expired.Count, registry.EphemeralCount, now))
            {
                // Kept, but not as healthy: they still count as suspects.
                suspects.AddRange(expired);
                expired.Clear();
            }

            if (suspects.Count > 0 || expired.Count > 0)
            {
                await committer.ExecuteAsync(changes => Apply(changes, suspects, expired, now), cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private (List<Lapsed> Suspects, List<Lapsed> Expired) FindLapsed(DateTimeOffset now)
    {
        List<Lapsed> suspects = [], expired = [];
        foreach (var service in registry.Services)
        {
            foreach (var entry in service.Instances.Values)
            {
                var record = entry.Record;
                if (!record.Ephemeral)
                {
                    continue;
                }

                var silence = SilenceOf(entry, now);
                if (silence > leases.EvictAfter(record))
                {
                    expired.Add(new Lapsed(service, entry));
                }
                else if (record.Healthy && silence > leases.UnhealthyAfter(record))
                {
                    suspects.Add(new Lapsed(service, entry));
                }
            }
        }

        return (suspects, expired);
    }

    /// <summary>Runs on the writer; a beat may have arrived since the scan, so every lapse is checked again.</summary>
    private bool Apply(ChangeSet changes, List<Lapsed> suspects, List<Lapsed> expired, DateTimeOffset now)
    {
        foreach (var (service, entry) in suspects)
        {
            entry.Decide(e =>
            {
                var record = e.Record;
                if (IsCurrent(service, e) && record.Healthy && SilenceOf(e, now) > leases.UnhealthyAfter(record))
                {
                    var revision = changes.NextRevision();
                    registry.PutInstance(changes, service, record with { Healthy = false, Revision = revision }, now);
                    changes.OnCommitted(() =>
                    {
                        metrics.MarkedUnhealthy.Inc();
                        LogUnhealthy(service.Key.Namespace, service.Key.Group, service.Key.Name, record.Id, revision);
                    });
                }

                return true;
            });
        }

        foreach (var (service, entry) in expired)
        {
            entry.Decide(e =>
            {
                var record = e.Record;
                if (IsCurrent(service, e) && SilenceOf(e, now) > leases.EvictAfter(record))
                {
                    var revision = changes.NextRevision();
                    registry.RemoveInstance(changes, service, e, revision);
                    changes.OnCommitted(() =>
                    {
                        metrics.Evictions.Inc();
                        LogEvicted(service.Key.Namespace, service.Key.Group, service.Key.Name, record.Id, revision);
                    });
                }

                return true;
            });
        }

        return true;
    }

    private bool IsCurrent(ServiceEntry service, InstanceEntry entry) =>
        ReferenceEquals(registry.FindService(service.Key), service)
        && service.Instances.TryGetValue(entry.Record.Id, out var current) && ReferenceEquals(current, entry)
        && entry.Record.Ephemeral;

    private static TimeSpan SilenceOf(InstanceEntry entry, DateTimeOffset now) =>
        TimeSpan.FromTicks(now.UtcTicks - entry.LastBeatTicks);

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    private readonly record struct Lapsed(ServiceEntry Service, InstanceEntry Entry);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information,
        Message = "Evicted {Namespace}/{Group}/{Service} instance {InstanceId} at revision {Revision}: no heartbeat within its lease")]
    private partial void LogEvicted(string @namespace, string group, string service, string instanceId, long revision);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information,
        Message = "Instance {InstanceId} of {Namespace}/{Group}/{Service} is unhealthy at revision {Revision}: heartbeats stopped")]
    private partial void LogUnhealthy(string @namespace, string group, string service, string instanceId, long revision);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "A heartbeat sweep failed")]
    private partial void LogSweepFailed(Exception exception);
}
