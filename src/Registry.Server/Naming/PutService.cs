using FluentValidation;
using Mediator;
using Registry.Server.Audit;
using Microsoft.Extensions.Options;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Storage;

namespace Registry.Server.Naming;

/// <summary>Creates a service or updates its protect threshold and metadata.</summary>
internal sealed record PutServiceCommand(
    string Namespace, string Group, string Service, double? ProtectThreshold, IReadOnlyDictionary<string, string>? Metadata, Actor Actor)
    : ICommand<Outcome<ServiceChange>>, IServiceAddress, IAuditedCommand
{
    public AuditEntry? Describe(object? response) => response is Outcome<ServiceChange> { Value: { } change }
        ? new AuditEntry(Actor, "service.put", Namespace, $"{Group}/{Service}", change.Service.Revision)
        : null;
}

internal sealed record ServiceChange(ServiceInfo Service, bool Created);

internal sealed class PutServiceValidator : AbstractValidator<PutServiceCommand>
{
    public PutServiceValidator(IOptions<NamingOptions> options)
    {
        this.ValidateServiceAddress();
        RuleFor(c => c.ProtectThreshold).InclusiveBetween(0, 1);
        RuleFor(c => c.Metadata).WithinLimits(options.Value.MetadataLimits());
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class PutServiceHandler(NamingRegistry registry, Committer committer, TimeProvider time)
    : ICommandHandler<PutServiceCommand, Outcome<ServiceChange>>
{
    public async ValueTask<Outcome<ServiceChange>> Handle(PutServiceCommand command, CancellationToken cancellationToken) =>
        await committer.ExecuteAsync(changes => Put(changes, command), cancellationToken);

    private Outcome<ServiceChange> Put(ChangeSet changes, PutServiceCommand command)
    {
        if (registry.FindNamespace(command.Namespace) is null)
        {
            return NamingFailures.NamespaceNotFound(command.Namespace);
        }

        var key = command.ServiceKey();
        var service = registry.FindService(key);
        var current = service?.Record;
        var record = new ServiceRecord(
            command.ProtectThreshold ?? current?.ProtectThreshold ?? 0,
            MetadataMaps.OrEmpty(command.Metadata ?? current?.Metadata),
            current?.CreatedAt ?? time.GetUtcNow(),
            current?.Revision ?? 0);
        if (service is not null && record.ProtectThreshold == current!.ProtectThreshold
            && MetadataMaps.AreEqual(record.Metadata, current.Metadata))
        {
            return new ServiceChange(service.ToInfo(), Created: false);
        }

        service = registry.PutService(changes, key, record with { Revision = changes.NextRevision() });
        return new ServiceChange(service.ToInfo(), Created: current is null);
    }
}
