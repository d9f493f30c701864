using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Namespaces;

namespace Registry.Server.Naming;

/// <summary>Creates a service or updates its protect threshold and metadata.</summary>
internal sealed record PutServiceCommand(
    string Namespace, string Group, string Service, double? ProtectThreshold, IReadOnlyDictionary<string, string>? Metadata, Actor Actor)
    : ICommand<Outcome<ServiceChange>>, IServiceAddress;

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

internal sealed class PutServiceHandler(ServiceTable tree, NamespaceTable namespaces, ChangeWriter writer, TimeProvider time)
    : ICommandHandler<PutServiceCommand, Outcome<ServiceChange>>
{
    public async ValueTask<Outcome<ServiceChange>> Handle(PutServiceCommand command, CancellationToken cancellationToken) =>
        await writer.WriteAsync(at => Decide(at, command), cancellationToken);

    private Decision<ServiceChange> Decide(ReadPoint at, PutServiceCommand command)
    {
        if (namespaces.Find(command.Namespace) is null)
        {
            return NamespaceFailures.NotFound(command.Namespace);
        }

        var key = command.ServiceKey();
        var service = tree.Find(key);
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

        return new Proposal(at)
            .Read(NamespaceChanges.Key(command.Namespace))
            .Add(new ServicePut(key, record))
            .Audited(AuditNote.Change(time.GetUtcNow(), command.Actor, "service.put", command.Namespace, $"{command.Group}/{command.Service}"))
            .Then(revision => new ServiceChange(
                tree.Find(key)?.ToInfo() ?? throw new InvalidOperationException($"Service '{key}' was not applied."), Created: current is null));
    }
}
