using FluentValidation;
using Mediator;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Naming;

/// <summary>Deletes a service; refused while it still has instances. What other features keep about it goes with it.</summary>
internal sealed record DeleteServiceCommand(string Namespace, string Group, string Service, Actor Actor)
    : ICommand<Outcome<long>>, IServiceAddress;

internal sealed class DeleteServiceValidator : AbstractValidator<DeleteServiceCommand>
{
    public DeleteServiceValidator()
    {
        this.ValidateServiceAddress();
        RuleFor(c => c.Actor).ValidActor();
    }
}

/// <summary>What a feature keeps about a service (its metadata document) and removes with it.</summary>
internal interface IServiceDependents
{
    /// <summary>The changes that remove what is kept about <paramref name="service"/>; none when nothing is.</summary>
    IEnumerable<Change> Remove(ServiceKey service);
}

internal sealed class DeleteServiceHandler(
    ServiceTable tree, IEnumerable<IServiceDependents> dependents, ChangeWriter writer, TimeProvider time)
    : ICommandHandler<DeleteServiceCommand, Outcome<long>>
{
    public async ValueTask<Outcome<long>> Handle(DeleteServiceCommand command, CancellationToken cancellationToken) =>
        await writer.WriteAsync(at => Decide(at, command), cancellationToken);

    private Decision<long> Decide(ReadPoint at, DeleteServiceCommand command)
    {
        var key = command.ServiceKey();
        if (tree.Find(key) is not { } service)
        {
            return NamingFailures.ServiceNotFound(key);
        }

        if (service.InstanceCount > 0)
        {
            return NamingFailures.ServiceNotEmpty(key, service.InstanceCount);
        }

        // Empty as of the read: no instance may have come since.
        var proposal = new Proposal(at).Read(NamingChanges.Instances(key)).Add(new ServiceRemoved(key));
        foreach (var change in dependents.SelectMany(dependent => dependent.Remove(key)))
        {
            proposal.Add(change);
        }

        return proposal
            .Audited(AuditNote.Change(time.GetUtcNow(), command.Actor, "service.delete", command.Namespace, $"{command.Group}/{command.Service}"))
            .Then(revision => revision);
    }
}
