using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Probes;

namespace Registry.Server.Naming;

/// <summary>
/// An admin change to an instance: enabled, weight, metadata, and of persistent ones the health (unless a check
/// decides it) and the health check.
/// </summary>
internal sealed record PatchInstanceCommand(
    string Namespace,
    string Group,
    string Service,
    string Id,
    bool? Enabled,
    double? Weight,
    bool? Healthy,
    IReadOnlyDictionary<string, string>? Metadata,
    Actor Actor,
    HealthCheck? HealthCheck = null) : ICommand<Outcome<InstanceInfo>>, IServiceAddress;

internal sealed class PatchInstanceValidator : AbstractValidator<PatchInstanceCommand>
{
    public PatchInstanceValidator(IOptions<NamingOptions> options, IOptions<ProbeOptions> probes)
    {
        this.ValidateServiceAddress();
        RuleFor(c => c.Id).NotEmpty().MaximumLength(InstanceRules.MaxIdLength);
        RuleFor(c => c.Weight).InclusiveBetween(0, InstanceRules.MaxWeight);
        RuleFor(c => c.Metadata).ValidInstanceMetadata(options.Value.MetadataLimits());
        RuleFor(c => c.HealthCheck!).ValidHealthCheck(probes.Value, onInstance: true);
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class PatchInstanceHandler(
    ServiceTable tree, ChangeWriter writer, LeasePolicy leases, ProbeTargets probeTargets, TimeProvider time)
    : ICommandHandler<PatchInstanceCommand, Outcome<InstanceInfo>>
{
    public async ValueTask<Outcome<InstanceInfo>> Handle(PatchInstanceCommand command, CancellationToken cancellationToken) =>
        await writer.WriteAsync(at => Decide(at, command), cancellationToken);

    private Decision<InstanceInfo> Decide(ReadPoint at, PatchInstanceCommand command)
    {
        var key = command.ServiceKey();
        if (tree.Find(key) is not { } service || service.Find(command.Id) is not { } instance)
        {
            return NamingFailures.InstanceNotFound(key, command.Id);
        }

        if (command.Healthy is not null && instance.Ephemeral)
        {
            return NamingFailures.EphemeralInstanceHealth(command.Id);
        }

        if (command.HealthCheck is not null && instance.Ephemeral)
        {
            return NamingFailures.EphemeralHealthCheck();
        }

        var current = instance.ToRecord();
        var patched = current with
        {
            Enabled = command.Enabled ?? current.Enabled,
            Weight = command.Weight ?? current.Weight,
            Healthy = command.Healthy ?? current.Healthy,
            Metadata = command.Metadata is null ? current.Metadata : MetadataMaps.OrEmpty(command.Metadata),
            HealthCheck = command.HealthCheck is null ? current.HealthCheck : command.HealthCheck.ToRecord(onInstance: true),
        };

        // The health is the check's to decide, under the check the instance has after this change.
        if (command.Healthy is not null && HealthChecks.Of(patched, service.Record) is not null)
        {
            return NamingFailures.CheckedInstanceHealth(command.Id);
        }

        if (command.HealthCheck is not null && probeTargets.Refusal(patched, service.Record, "healthCheck") is { } refused)
        {
            return refused;
        }

        if (InstanceRules.SameRegistration(current, patched))
        {
            return instance.ToInfo(key, service.Routing, leases);
        }

        return new Proposal(at)
            .Add(new InstancePut(key, patched, Created: false))
            .Audited(AuditNote.Change(time.GetUtcNow(), command.Actor, "instance.patch", command.Namespace, $"{command.Group}/{command.Service}/{command.Id}"))
            .Then(revision => (patched with { Revision = revision }).ToInfo(key, tree.Find(key)?.Routing, leases));
    }
}
