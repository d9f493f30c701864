using FluentValidation;
using Mediator;
using Registry.Server.Infrastructure;
using Registry.Server.Metrics;
using Registry.Server.Storage;

namespace Registry.Server.Naming;

/// <summary>Removes an instance; returns the revision of the removal.</summary>
internal sealed record DeregisterInstanceCommand(string Namespace, string Group, string Service, string Id)
    : ICommand<Outcome<long>>, IServiceAddress;

internal sealed class DeregisterInstanceValidator : AbstractValidator<DeregisterInstanceCommand>
{
    public DeregisterInstanceValidator()
    {
        this.ValidateServiceAddress();
        RuleFor(c => c.Id).NotEmpty().MaximumLength(InstanceRules.MaxIdLength);
    }
}

internal sealed partial class DeregisterInstanceHandler(
    NamingRegistry registry, Committer committer, RegistryMetrics metrics, ILogger<DeregisterInstanceHandler> logger)
    : ICommandHandler<DeregisterInstanceCommand, Outcome<long>>
{
    public async ValueTask<Outcome<long>> Handle(DeregisterInstanceCommand command, CancellationToken cancellationToken) =>
        await committer.ExecuteAsync(changes => Deregister(changes, command), cancellationToken);

    private Outcome<long> Deregister(ChangeSet changes, DeregisterInstanceCommand command)
    {
        var key = command.ServiceKey();
        if (!registry.TryFindInstance(key, command.Id, out var service, out var entry))
        {
            return NamingFailures.InstanceNotFound(key, command.Id);
        }

        var revision = changes.NextRevision();
        registry.RemoveInstance(changes, service, entry, revision);
        changes.OnCommitted(() =>
        {
            metrics.Deregistrations.Inc();
            LogDeregistered(key.Namespace, key.Group, key.Name, command.Id, revision);
        });
        return revision;
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information,
        Message = "Deregistered {Namespace}/{Group}/{Service} instance {InstanceId} at revision {Revision}")]
    private partial void LogDeregistered(string @namespace, string group, string service, string instanceId, long revision);
}
