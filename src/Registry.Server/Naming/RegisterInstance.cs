using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Namespaces;
using Registry.Server.Probes;

namespace Registry.Server.Naming;

/// <summary>
/// Registers an instance, or updates it: keyed by (namespace, group, service, cluster, ip, port). Fields
/// left out keep their current value, except the lease, which is what this registration declares (server
/// defaults for the values it leaves out). Registration also renews the lease.
/// </summary>
internal sealed record RegisterInstanceCommand(
    string Namespace,
    string Group,
    string Service,
    string? Ip,
    int? Port,
    string? Cluster,
    double? Weight,
    bool? Enabled,
    bool? Ephemeral,
    IReadOnlyDictionary<string, string>? Metadata,
    long? HeartbeatIntervalMs,
    long? UnhealthyAfterMs,
    long? EvictAfterMs,
    HealthCheck? HealthCheck = null) : ICommand<Outcome<Registration>>, IServiceAddress;

internal sealed record Registration(InstanceInfo Instance, bool Created);

internal sealed class RegisterInstanceValidator : AbstractValidator<RegisterInstanceCommand>
{
    public RegisterInstanceValidator(IOptions<NamingOptions> options, IOptions<ProbeOptions> probes)
    {
        var o = options.Value;
        this.ValidateServiceAddress();
        RuleFor(c => c.Ip).ValidHost();
        RuleFor(c => c.Port).NotNull().InclusiveBetween(1, 65535);
        RuleFor(c => c.Cluster).ValidName(NameRules.ClusterMaxLength).When(c => c.Cluster is not null);
        RuleFor(c => c.Weight).InclusiveBetween(0, InstanceRules.MaxWeight);
        RuleFor(c => c.Metadata).ValidInstanceMetadata(o.MetadataLimits());
        RuleFor(c => c.HealthCheck!).ValidHealthCheck(probes.Value, onInstance: true);

        var minInterval = (long)o.MinHeartbeatInterval.TotalMilliseconds;
        var maxInterval = (long)o.MaxHeartbeatInterval.TotalMilliseconds;
        var maxEvict = (long)o.MaxEvictAfter.TotalMilliseconds;
        RuleFor(c => c.HeartbeatIntervalMs).InclusiveBetween(minInterval, maxInterval);
        RuleFor(c => c.UnhealthyAfterMs).InclusiveBetween(minInterval, maxEvict);
        RuleFor(c => c.EvictAfterMs).InclusiveBetween(minInterval, maxEvict);
        RuleFor(c => c.UnhealthyAfterMs)
            .Must((c, ms) => Effective(ms, o.UnhealthyAfter) > Effective(c.HeartbeatIntervalMs, o.HeartbeatInterval))
            .WithMessage("'unhealthyAfterMs' must be longer than the heartbeat interval.");
        RuleFor(c => c.EvictAfterMs)
            .Must((c, ms) => Effective(ms, o.EvictAfter) >= Effective(c.UnhealthyAfterMs, o.UnhealthyAfter))
            .WithMessage("'evictAfterMs' must not be shorter than 'unhealthyAfterMs'.");
    }

    private static long Effective(long? milliseconds, TimeSpan fallback) =>
        milliseconds ?? (long)fallback.TotalMilliseconds;
}

internal sealed partial class RegisterInstanceHandler(
    ServiceTable tree, NamespaceTable namespaces, ChangeWriter writer, LeasePolicy leases, IClusterNodes nodes, ProbeTargets probeTargets,
    NamingMetrics metrics, TimeProvider time, ILogger<RegisterInstanceHandler> logger)
    : ICommandHandler<RegisterInstanceCommand, Outcome<Registration>>
{
    public async ValueTask<Outcome<Registration>> Handle(RegisterInstanceCommand command, CancellationToken cancellationToken)
    {
        var registered = await writer.WriteAsync(at => Decide(at, command), cancellationToken);
        if (registered.Value is { } registration)
        {
            // A registration is a sign of life: it renews the lease, whether it changed anything or not.
            tree.FindInstance(command.ServiceKey(), registration.Instance.Id)?.Beat(time.GetTimestamp(), out _);
        }

        return registered;
    }

    private Decision<Registration> Decide(ReadPoint at, RegisterInstanceCommand command)
    {
        if (namespaces.Find(command.Namespace) is null)
        {
            return NamespaceFailures.NotFound(command.Namespace);
        }

        var now = time.GetUtcNow();
        var key = command.ServiceKey();
        HostRules.TryNormalize(command.Ip, out var ip);
        var cluster = command.Cluster ?? NameRules.DefaultCluster;
        var id = InstanceIds.Derive(ip, command.Port!.Value, cluster);
        var service = tree.Find(key);
        var current = service?.Find(id);
        var ephemeral = command.Ephemeral ?? current?.Ephemeral ?? true;
        if (ephemeral && command.HealthCheck is not null)
        {
            return NamingFailures.EphemeralHealthCheck();
        }

        var check = ephemeral ? null : command.HealthCheck is null ? current?.HealthCheck : command.HealthCheck.ToRecord(onInstance: true);

        // The lease fields go together (the validator checked them with the defaults for those left out): a
        // registration that gives none keeps the instance's lease.
        var leaseGiven = command.HeartbeatIntervalMs is not null || command.UnhealthyAfterMs is not null || command.EvictAfterMs is not null;
        var record = new InstanceRecord(
            id, ip, command.Port.Value, cluster,
            Weight: command.Weight ?? current?.Weight,
            Enabled: command.Enabled ?? current?.Enabled ?? true,
            // A registration is a sign of life; a persistent instance keeps the health an admin or its check gave it,
            // and a new one that is checked is healthy only once its check passes.
            Healthy: ephemeral || (current?.Healthy ?? HealthChecks.Of(check, service?.Record) is null),
            ephemeral,
            MetadataMaps.OrEmpty(command.Metadata ?? current?.Metadata),
            leaseGiven ? command.HeartbeatIntervalMs : current?.HeartbeatIntervalMs,
            leaseGiven ? command.UnhealthyAfterMs : current?.UnhealthyAfterMs,
            leaseGiven ? command.EvictAfterMs : current?.EvictAfterMs,
            RegisteredAt: current?.RegisteredAt ?? now,
            Revision: current?.Revision ?? 0,
            // In a cluster, the node its client talks to judges its lease from now on.
            Owner: ephemeral ? nodes.Self : null,
            HealthCheck: check);
        if (probeTargets.Refusal(record, service?.Record, "ip") is { } refused)
        {
            return refused;
        }

        if (current is not null && InstanceRules.SameRegistration(current.ToRecord(), record))
        {
            return new Registration(current.ToInfo(key, service!.Routing, leases), Created: false);
        }

        var proposal = new Proposal(at).Read(NamespaceChanges.Key(command.Namespace));
        if (service is null)
        {
            proposal.Add(new ServicePut(key, new ServiceRecord(0, MetadataMaps.Empty, now, 0)));
        }

        return proposal.Add(new InstancePut(key, record, Created: current is null)).Then(revision =>
        {
            metrics.Registrations.Inc();
            LogRegistered(key.Namespace, key.Group, key.Name, id, revision);
            var applied = tree.Find(key);
            return new Registration((record with { Revision = revision }).ToInfo(key, applied?.Routing, leases), Created: current is null);
        });
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "Registered {Namespace}/{Group}/{Service} instance {InstanceId} at revision {Revision}")]
    private partial void LogRegistered(string @namespace, string group, string service, string instanceId, long revision);
}
