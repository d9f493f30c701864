using FluentValidation;
using Mediator;
using Registry.Server.Audit;
using Microsoft.Extensions.Options;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Metadata;
using Registry.Server.Storage;

namespace Registry.Server.Naming;

/// <summary>An admin change to an instance: enabled, weight, metadata, and the health of persistent ones.</summary>
internal sealed record PatchInstanceCommand(
    string Namespace,
    string Group,
    string Service,
    string Id,
    bool? Enabled,
    double? Weight,
    bool? Healthy,
    IReadOnlyDictionary<string, string>? Metadata,
    Actor Actor) : ICommand<Outcome<InstanceInfo>>, IServiceAddress, IAuditedCommand
{
    public AuditEntry? Describe(object? response) => response is Outcome<InstanceInfo> { Value: { } instance }
        ? new AuditEntry(Actor, "instance.patch", Namespace, $"{Group}/{Service}/{Id}", instance.Revision)
        : null;
}

internal sealed class PatchInstanceValidator : AbstractValidator<PatchInstanceCommand>
{
    public PatchInstanceValidator(IOptions<NamingOptions> options)
    {
        this.ValidateServiceAddress();
        RuleFor(c => c.Id).NotEmpty().MaximumLength(InstanceRules.MaxIdLength);
        RuleFor(c => c.Weight).InclusiveBetween(0, InstanceRules.MaxWeight);
        RuleFor(c => c.Metadata).ValidInstanceMetadata(options.Value.MetadataLimits());
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class PatchInstanceHandler(NamingRegistry registry, Committer committer, LeasePolicy leases, TimeProvider time)
    : ICommandHandler<PatchInstanceCommand, Outcome<InstanceInfo>>
{
    public async ValueTask<Outcome<InstanceInfo>> Handle(PatchInstanceCommand command, CancellationToken cancellationToken) =>
        await committer.ExecuteAsync(changes => Patch(changes, command), cancellationToken);

    private Outcome<InstanceInfo> Patch(ChangeSet changes, PatchInstanceCommand command)
    {
        var key = command.ServiceKey();
        if (!registry.TryFindInstance(key, command.Id, out var service, out var entry))
        {
            return NamingFailures.InstanceNotFound(key, command.Id);
        }

        var current = entry.Record;
        if (command.Healthy is not null && current.Ephemeral)
        {
            return NamingFailures.EphemeralInstanceHealth(command.Id);
        }

        var patched = current with
        {
            Enabled = command.Enabled ?? current.Enabled,
            Weight = command.Weight ?? current.Weight,
            Healthy = command.Healthy ?? current.Healthy,
            Metadata = command.Metadata is null ? current.Metadata : MetadataMaps.OrEmpty(command.Metadata),
        };
        if (InstanceRules.SameRegistration(current, patched))
        {
            return current.ToInfo(key, service.LiveMetadata, leases);
        }

        patched = patched with { Revision = changes.NextRevision() };
        registry.PutInstance(changes, service, patched, time.GetUtcNow());
        return patched.ToInfo(key, service.LiveMetadata, leases);
    }
}
