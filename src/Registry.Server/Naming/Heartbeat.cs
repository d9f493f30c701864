using System.Collections.Concurrent;
using System.Text.Json;
using FluentValidation;
using Mediator;
using Registry.Contracts;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Metrics;
using Registry.Server.Storage;

namespace Registry.Server.Naming;

/// <summary>
/// Renews an ephemeral instance's lease. A beat only touches memory; it goes through the writer only when
/// it brings an unhealthy instance back to health, which is a change with a revision.
/// </summary>
internal sealed record HeartbeatCommand(string Namespace, string Group, string Service, string Id)
    : ICommand<Outcome<Beat>>, IServiceAddress;

/// <summary>The reply to a beat, and the revision it took when it made an unhealthy instance healthy again.</summary>
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
    NamingRegistry registry, Committer committer, LeasePolicy leases, RegistryMetrics metrics, TimeProvider time,
    ILogger<HeartbeatHandler> logger)
    : ICommandHandler<HeartbeatCommand, Outcome<Beat>>
{
    public async ValueTask<Outcome<Beat>> Handle(HeartbeatCommand command, CancellationToken cancellationToken)
    {
        var key = command.ServiceKey();
        if (registry.FindInstance(key, command.Id) is not { } entry)
        {
            return NamingFailures.InstanceNotFound(key, command.Id);
        }

        if (!entry.Record.Ephemeral)
        {
            return NamingFailures.PersistentInstanceBeat(command.Id);
        }

        // The registration as of the beat: if the sweeper marked it unhealthy first, this beat heals it.
        if (entry.Beat(time.GetUtcNow()) is not { } record)
        {
            return NamingFailures.InstanceNotFound(key, command.Id);
        }

        metrics.Heartbeats.Inc();
        var reply = new HeartbeatResponse((long)leases.HeartbeatInterval(record).TotalMilliseconds);
        if (record.Healthy)
        {
            return new Beat(reply, Revision: null);
        }

        var recovered = await committer.ExecuteAsync(changes => Recover(changes, key, command.Id), cancellationToken);
        return recovered.Failure is { } failure ? failure : new Beat(reply, recovered.Value);
    }

    /// <summary>Marks the instance healthy; the revision that took, or null when it was healthy by now.</summary>
    private Outcome<long?> Recover(ChangeSet changes, ServiceKey key, string id)
    {
        // Re-read on the writer: the sweeper may have evicted the instance since the beat arrived.
        if (!registry.TryFindInstance(key, id, out var service, out var entry))
        {
            return NamingFailures.InstanceNotFound(key, id);
        }

        if (entry.Record.Healthy)
        {
            return (long?)null;
        }

        var revision = changes.NextRevision();
        registry.PutInstance(changes, service, entry.Record with { Healthy = true, Revision = revision }, time.GetUtcNow());
        changes.OnCommitted(() => LogRecovered(key.Namespace, key.Group, key.Name, id, revision));
        return revision;
    }

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information,
        Message = "Instance {InstanceId} of {Namespace}/{Group}/{Service} is beating again: healthy at revision {Revision}")]
    private partial void LogRecovered(string @namespace, string group, string service, string instanceId, long revision);
}
