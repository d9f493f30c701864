using FluentValidation;
using Mediator;
using Registry.Server.Audit;
using Registry.Server.Infrastructure;
using Registry.Server.Storage;

namespace Registry.Server.Naming;

/// <summary>Deletes a service; refused while it still has instances.</summary>
internal sealed record DeleteServiceCommand(string Namespace, string Group, string Service, Actor Actor)
    : ICommand<Outcome<long>>, IServiceAddress, IAuditedCommand
{
    public AuditEntry? Describe(object? response) => response is Outcome<long> { Failure: null } done
        ? new AuditEntry(Actor, "service.delete", Namespace, $"{Group}/{Service}", done.Value)
        : null;
}

internal sealed class DeleteServiceValidator : AbstractValidator<DeleteServiceCommand>
{
    public DeleteServiceValidator()
    {
        this.ValidateServiceAddress();
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class DeleteServiceHandler(NamingRegistry registry, Committer committer)
    : ICommandHandler<DeleteServiceCommand, Outcome<long>>
{
    public async ValueTask<Outcome<long>> Handle(DeleteServiceCommand command, CancellationToken cancellationToken) =>
        await committer.ExecuteAsync(changes => Delete(changes, command), cancellationToken);

    private Outcome<long> Delete(ChangeSet changes, DeleteServiceCommand command)
    {
        var key = command.ServiceKey();
        if (registry.FindService(key) is not { } service)
        {
            return NamingFailures.ServiceNotFound(key);
        }

        if (service.Instances.Count > 0)
        {
            return NamingFailures.ServiceNotEmpty(key, service.Instances.Count);
        }

        var revision = changes.NextRevision();
        registry.RemoveService(changes, service, revision);
        return revision;
    }
}
