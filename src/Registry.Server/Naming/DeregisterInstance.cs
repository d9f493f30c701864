using FluentValidation;
using Mediator;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

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
    ServiceTable tree, ChangeWriter writer, NamingMetrics metrics, ILogger<DeregisterInstanceHandler> logger)
    : ICommandHandler<DeregisterInstanceCommand, Outcome<long>>
{
    public async ValueTask<Outcome<long>> Handle(DeregisterInstanceCommand command, CancellationToken cancellationToken) =>
        await writer.WriteAsync(at => Decide(at, command), cancellationToken);

    private Decision<long> Decide(ReadPoint at, DeregisterInstanceCommand command)
    {
        var key = command.ServiceKey();
        if (tree.FindInstance(key, command.Id) is null)
        {
            return NamingFailures.InstanceNotFound(key, command.Id);
        }

        return new Proposal(at).Add(new InstanceRemoved(key, command.Id)).Then(revision =>
        {
            metrics.Deregistrations.Inc();
            LogDeregistered(key.Namespace, key.Group, key.Name, command.Id, revision);
            return revision;
        });
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information,
        Message = "Deregistered {Namespace}/{Group}/{Service} instance {InstanceId} at revision {Revision}")]
    private partial void LogDeregistered(string @namespace, string group, string service, string instanceId, long revision);
}
