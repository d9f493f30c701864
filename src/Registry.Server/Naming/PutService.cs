using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Namespaces;
using Registry.Server.Probes;

namespace Registry.Server.Naming;

/// <summary>Creates a service or updates its protect threshold, metadata and health check.</summary>
internal sealed record PutServiceCommand(
    string Namespace,
    string Group,
    string Service,
    double? ProtectThreshold,
    IReadOnlyDictionary<string, string>? Metadata,
    HealthCheck? HealthCheck,
    Actor Actor)
    : ICommand<Outcome<ServiceChange>>, IServiceAddress;

internal sealed record ServiceChange(ServiceInfo Service, bool Created);

internal sealed class PutServiceValidator : AbstractValidator<PutServiceCommand>
{
    public PutServiceValidator(IOptions<NamingOptions> options, IOptions<ProbeOptions> probes)
    {
        this.ValidateServiceAddress();
        RuleFor(c => c.ProtectThreshold).InclusiveBetween(0, 1);
        RuleFor(c => c.Metadata).WithinLimits(options.Value.MetadataLimits());
        RuleFor(c => c.HealthCheck!).ValidHealthCheck(probes.Value, onInstance: false);
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class PutServiceHandler(
    ServiceTable tree, NamespaceTable namespaces, ChangeWriter writer, ProbeTargets probeTargets, TimeProvider time)
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
            current?.Revision ?? 0,
            command.HealthCheck is null ? current?.HealthCheck : command.HealthCheck.ToRecord(onInstance: false));
        if (service is not null && record == current! with { Metadata = record.Metadata }
            && MetadataMaps.AreEqual(record.Metadata, current.Metadata))
        {
            return new ServiceChange(service.ToInfo(), Created: false);
        }

        // Declared only where every instance it covers may be probed: the registry must not probe a network at will.
        if (service?.Instances.Select(instance => probeTargets.Refusal(instance.ToRecord(), record, "healthCheck"))
            .FirstOrDefault(refusal => refusal is not null) is { } refused)
        {
            return refused;
        }

        return new Proposal(at)
            .Read(NamespaceChanges.Key(command.Namespace))
            .Add(new ServicePut(key, record))
            .Audited(AuditNote.Change(time.GetUtcNow(), command.Actor, "service.put", command.Namespace, $"{command.Group}/{command.Service}"))
            .Then(revision => new ServiceChange(
                tree.Find(key)?.ToInfo() ?? throw new InvalidOperationException($"Service '{key}' was not applied."), Created: current is null));
    }
}
