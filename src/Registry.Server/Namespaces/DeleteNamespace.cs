using FluentValidation;
using Mediator;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Namespaces;

/// <summary>Deletes a namespace without services or config; the default namespace always exists.</summary>
internal sealed record DeleteNamespaceCommand(string Namespace, Actor Actor) : ICommand<Outcome<long>>;

internal sealed class DeleteNamespaceValidator : AbstractValidator<DeleteNamespaceCommand>
{
    public DeleteNamespaceValidator()
    {
        RuleFor(c => c.Namespace).ValidName(NameRules.NamespaceMaxLength);
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class DeleteNamespaceHandler(NamespaceTable namespaces, NamespaceCounter counter, ChangeWriter writer, TimeProvider time)
    : ICommandHandler<DeleteNamespaceCommand, Outcome<long>>
{
    public async ValueTask<Outcome<long>> Handle(DeleteNamespaceCommand command, CancellationToken cancellationToken) =>
        await writer.WriteAsync(at => Decide(at, command), cancellationToken);

    private Decision<long> Decide(ReadPoint at, DeleteNamespaceCommand command)
    {
        var ns = command.Namespace;
        if (ns == NameRules.DefaultNamespace)
        {
            return NamespaceFailures.DefaultIsPermanent();
        }

        if (namespaces.Find(ns) is null)
        {
            return NamespaceFailures.NotFound(ns);
        }

        var counts = counter.Count(ns);
        if (counts.Services + counts.ConfigItems > 0)
        {
            return NamespaceFailures.NotEmpty(ns, counts.Services, counts.ConfigItems);
        }

        // Empty as of the read: nothing may have been added since.
        return new Proposal(at)
            .Read(NamespaceChanges.Contents(ns))
            .Add(new NamespaceRemoved(ns))
            .Audited(AuditNote.Change(time.GetUtcNow(), command.Actor, "namespace.delete", ns, ns))
            .Then(revision => revision);
    }
}
