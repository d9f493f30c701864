using System.Collections.Concurrent;
using System.Text.Json;
using FluentValidation;
using Mediator;
using Registry.Contracts;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Naming;

/// <summary>
/// Renews an ephemeral instance's lease. A beat only touches memory; it goes through the writer only when it changes
/// the instance's health, which is a change with a revision: a beat brings an instance whose lease lapsed back to
/// health, and an application that reports itself unhealthy (<paramref name="Healthy"/> false: its own health checks
/// fail) is taken out of healthy lists and picks while its lease goes on, until a beat reports it healthy again.
/// </summary>
internal sealed record HeartbeatCommand(string Namespace, string Group, string Service, string Id, bool Healthy = true)
    : ICommand<Outcome<Beat>>, IServiceAddress;

/// <summary>The reply to a beat, and the revision it took when it changed the instance's health.</summary>
internal readonly record struct Beat(HeartbeatResponse Reply, long? Revision);

internal sealed class HeartbeatValidator : AbstractValidator<HeartbeatCommand>
{
    public HeartbeatValidator()
    {
        this.ValidateServiceAddress();
        RuleFor(c => c.Id).NotEmpty().MaximumLength(InstanceRules.MaxIdLength);
    }
}

/// <summary>The reply to a beat, serialized once per interval: nearly every instance beats at the default one.</summary>
internal static class HeartbeatReplies
{
    private const int MaxIntervals = 256;
    private static readonly ConcurrentDictionary<long, byte[]> Serialized = new();

    public static byte[] Json(HeartbeatResponse reply)
    {
        if (Serialized.TryGetValue(reply.HeartbeatIntervalMs, out var json))
        {
            return json;
        }

        json = JsonSerializer.SerializeToUtf8Bytes(reply, RegistryJsonContext.Default.HeartbeatResponse);
        if (Serialized.Count < MaxIntervals)
        {
            Serialized.TryAdd(reply.HeartbeatIntervalMs, json);
        }

        return json;
    }
}

internal sealed partial class HeartbeatHandler(
    ServiceTable tree, ChangeWriter writer, LeasePolicy leases, IClusterNodes nodes, NamingMetrics metrics, TimeProvider time,
    ILogger<HeartbeatHandler> logger)
    : ICommandHandler<HeartbeatCommand, Outcome<Beat>>
{
    public async ValueTask<Outcome<Beat>> Handle(HeartbeatCommand command, CancellationToken cancellationToken)
    {
        var key = command.ServiceKey();
        if (nodes.Self is not null && !nodes.CanDecide)
        {
            // Answered from memory, the beat would look fine while the others, who never see it, take the instance
            // over and evict it: the client is told to beat to another node.
            throw new StoreUnavailableException(
                "This node is cut off from the cluster store: a beat here would not keep the instance alive. Beat to another node of the cluster.");
        }

        Instance beaten;
        while (true)
        {
            if (tree.FindInstance(key, command.Id) is not { } instance)
            {
                return NamingFailures.InstanceNotFound(key, command.Id);
            }

            if (!instance.Ephemeral)
            {
                return NamingFailures.PersistentInstanceBeat(command.Id);
            }

            if (nodes.Self is { } self && instance.Owner != self)
            {
                // Its client now beats to this node (it failed over, or a balancer moved it): this node judges its lease.
                var claimed = await writer.WriteAsync(at => Claim(at, key, command.Id, self, command.Healthy), cancellationToken);
                if (claimed.Failure is { } refused)
                {
                    return refused;
                }

                continue;
            }

            if (instance.Beat(time.GetTimestamp(), out var decided) is { } found)
            {
                beaten = found;
                break;
            }

            if (decided is null)
            {
                return NamingFailures.InstanceNotFound(key, command.Id);
            }

            // The sweeper is marking it unhealthy or evicting it right now: the beat comes after that.
            await decided.WaitAsync(cancellationToken);
        }

        metrics.Heartbeats.Inc();
        var reply = new HeartbeatResponse((long)leases.HeartbeatInterval(beaten).TotalMilliseconds);
        if (beaten.Healthy == command.Healthy)
        {
            return new Beat(reply, Revision: null);
        }

        // The beat heals an instance whose lease lapsed, or carries its application's own verdict.
        var changed = await writer.WriteAsync(at => SetHealth(at, key, command.Id, command.Healthy), cancellationToken);
        return changed.Failure is { } failure ? failure : new Beat(reply, changed.Value);
    }

    /// <summary>Makes this node the instance's owner, with the health its application reports: a beat is a sign of life.</summary>
    private Decision<bool> Claim(ReadPoint at, ServiceKey key, string id, string self, bool healthy)
    {
        if (tree.FindInstance(key, id) is not { } instance)
        {
            return NamingFailures.InstanceNotFound(key, id);
        }

        if (instance.Owner == self)
        {
            return true;
        }

        return new Proposal(at)
            .Add(new InstancePut(key, instance.ToRecord() with { Healthy = healthy, Owner = self }, Created: false))
            .Then(revision =>
            {
                LogClaimed(key.Namespace, key.Group, key.Name, id, instance.Owner, revision);
                return true;
            });
    }

    /// <summary>Sets the instance's health; the revision that took, or null when it was so by now.</summary>
    private Decision<long?> SetHealth(ReadPoint at, ServiceKey key, string id, bool healthy)
    {
        // The sweeper may have evicted the instance, or another beat changed it, since this beat arrived.
        if (tree.FindInstance(key, id) is not { } instance)
        {
            return NamingFailures.InstanceNotFound(key, id);
        }

        if (instance.Healthy == healthy)
        {
            return (long?)null;
        }

        return new Proposal(at)
            .Add(new InstancePut(key, instance.ToRecord() with { Healthy = healthy }, Created: false))
            .Then(revision =>
            {
                if (healthy)
                {
                    LogRecovered(key.Namespace, key.Group, key.Name, id, revision);
                }
                else
                {
                    LogReportedUnhealthy(key.Namespace, key.Group, key.Name, id, revision);
                }

                return (long?)revision;
            });
    }

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information,
        Message = "Instance {InstanceId} of {Namespace}/{Group}/{Service} beats to this node now (owned by {Previous} before): its lease is judged here from revision {Revision}")]
    private partial void LogClaimed(string @namespace, string group, string service, string instanceId, string? previous, long revision);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information,
        Message = "Instance {InstanceId} of {Namespace}/{Group}/{Service} is healthy again (beating, and healthy by its application) at revision {Revision}")]
    private partial void LogRecovered(string @namespace, string group, string service, string instanceId, long revision);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information,
        Message = "Instance {InstanceId} of {Namespace}/{Group}/{Service} reports itself unhealthy: out of healthy lists at revision {Revision}")]
    private partial void LogReportedUnhealthy(string @namespace, string group, string service, string instanceId, long revision);
}
