using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Naming;

/// <summary>
/// Marks ephemeral instances unhealthy once their lease's <c>unhealthyAfter</c> has passed without a beat,
/// and evicts them after <c>evictAfter</c>, unless <see cref="SelfPreservation"/> holds the evictions back.
/// Persistent instances are never touched. Each lapse is a change of its own, all appended at once.
/// </summary>
internal sealed partial class HeartbeatSweeper(
    ServiceTable tree,
    ChangeWriter writer,
    LeasePolicy leases,
    SelfPreservation selfPreservation,
    IClusterNodes nodes,
    NamingMetrics metrics,
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
            // A node cut off from the cluster cannot tell its own silence from its instances': it judges nothing.
            if (!nodes.CanDecide)
            {
                return;
            }

            // Leases run on the monotonic clock: a step of the wall clock neither expires nor extends one.
            var now = time.GetTimestamp();
            var (suspects, expired, lapsedElsewhere) = FindLapsed(now, nodes.Self);

            // Judged over the whole registry: what lapsed here, and what the other owners marked unhealthy.
            if (selfPreservation.ShouldHold(expired.Count, lapsedElsewhere, tree.EphemeralCount, now))
            {
                // Kept, but not as healthy: they still count as suspects.
                suspects.AddRange(expired.Where(lapsed => lapsed.Instance.Healthy));
                expired.Clear();
            }

            await Task.WhenAll(
                suspects.Select(lapsed => DecideAsync(lapsed, now, evict: false, cancellationToken))
                    .Concat(expired.Select(lapsed => DecideAsync(lapsed, now, evict: true, cancellationToken))));
        }
        finally
        {
            _gate.Release();
        }
    }

    // Called once a sweep over every instance: compiled optimized at once, not after thirty sweeps.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (List<Lapsed> Suspects, List<Lapsed> Expired, int LapsedElsewhere) FindLapsed(long now, string? self)
    {
        List<Lapsed> suspects = [], expired = [];
        var lapsedElsewhere = 0;
        foreach (var service in tree.Services)
        {
            foreach (var instance in service.Instances)
            {
                if (!instance.Ephemeral)
                {
                    continue;
                }

                // Another node owns it: only it sees the beats.
                if (instance.Owner != self)
                {
                    lapsedElsewhere += instance.Healthy ? 0 : 1;
                    continue;
                }

                var silence = time.GetElapsedTime(instance.LastBeat, now);
                if (silence > leases.EvictAfter(instance))
                {
                    expired.Add(new Lapsed(service.Key, instance));
                }
                else if (instance.Healthy && silence > leases.UnhealthyAfter(instance))
                {
                    suspects.Add(new Lapsed(service.Key, instance));
                }
            }
        }

        return (suspects, expired, lapsedElsewhere);
    }

    /// <summary>
    /// Marks one instance unhealthy or evicts it, if it is still silent: from the check until the change is applied,
    /// its beats wait, so a beat either comes before the check (and the instance stays) or after the change.
    /// </summary>
    private async Task DecideAsync(Lapsed lapsed, long now, bool evict, CancellationToken cancellationToken)
    {
        var (key, instance) = lapsed;
        var silence = evict ? leases.EvictAfter(instance) : leases.UnhealthyAfter(instance);
        if (!instance.TryBeginDecision(time, now, silence))
        {
            return;
        }

        try
        {
            await writer.WriteAsync(at =>
            {
                // The instance must be the one checked: a registration or patch since replaced it, with a fresh lease.
                if (!ReferenceEquals(tree.FindInstance(key, instance.Id), instance))
                {
                    return false;
                }

                var proposal = new Proposal(at).Add(evict
                    ? new InstanceRemoved(key, instance.Id)
                    : new InstancePut(key, instance.ToRecord() with { Healthy = false }, Created: false));
                return proposal.Then(revision =>
                {
                    Applied(key, instance.Id, evict, revision);
                    return true;
                });
            }, cancellationToken);
        }
        finally
        {
            instance.EndDecision();
        }
    }

    private void Applied(ServiceKey key, string id, bool evicted, long revision)
    {
        if (evicted)
        {
            metrics.Evictions.Inc();
            LogEvicted(key.Namespace, key.Group, key.Name, id, revision);
        }
        else
        {
            metrics.MarkedUnhealthy.Inc();
            LogUnhealthy(key.Namespace, key.Group, key.Name, id, revision);
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    private readonly record struct Lapsed(ServiceKey Service, Instance Instance);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information,
        Message = "Evicted {Namespace}/{Group}/{Service} instance {InstanceId} at revision {Revision}: no heartbeat within its lease")]
    private partial void LogEvicted(string @namespace, string group, string service, string instanceId, long revision);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information,
        Message = "Instance {InstanceId} of {Namespace}/{Group}/{Service} is unhealthy at revision {Revision}: heartbeats stopped")]
    private partial void LogUnhealthy(string @namespace, string group, string service, string instanceId, long revision);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "A heartbeat sweep failed")]
    private partial void LogSweepFailed(Exception exception);
}
