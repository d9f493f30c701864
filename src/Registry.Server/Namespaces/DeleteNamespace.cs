using FluentValidation;
using Mediator;
using Registry.Server.Audit;
using Registry.Server.Config;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;
using Registry.Server.Storage;

namespace Registry.Server.Namespaces;

/// <summary>Deletes a namespace without services or config; the default namespace always exists.</summary>
internal sealed record DeleteNamespaceCommand(string Namespace, Actor Actor) : ICommand<Outcome<long>>, IAuditedCommand
{
    public AuditEntry? Describe(object? response) => response is Outcome<long> { Failure: null } done
        ? new AuditEntry(Actor, "namespace.delete", Namespace, Namespace, done.Value)
        : null;
}

internal sealed class DeleteNamespaceValidator : AbstractValidator<DeleteNamespaceCommand>
{
    public DeleteNamespaceValidator()
    {
        RuleFor(c => c.Namespace).ValidName(NameRules.NamespaceMaxLength);
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class DeleteNamespaceHandler(NamingRegistry registry, ConfigRegistry configs, Committer committer)
    : ICommandHandler<DeleteNamespaceCommand, Outcome<long>>
{
    public async ValueTask<Outcome<long>> Handle(DeleteNamespaceCommand command, CancellationToken cancellationToken) =>
        await committer.ExecuteAsync(changes => Delete(changes, command.Namespace), cancellationToken);

    private Outcome<long> Delete(ChangeSet changes, string ns)
    {
        if (ns == NameRules.DefaultNamespace)
        {
            return NamingFailures.DefaultNamespaceIsPermanent();
        }

        if (registry.FindNamespace(ns) is null)
        {
            return NamingFailures.NamespaceNotFound(ns);
        }

        var services = registry.Services.Count(s => s.Key.Namespace == ns);
        var items = configs.CountLive(ns);
        if (services + items > 0)
        {
            return NamingFailures.NamespaceNotEmpty(ns, services, items);
        }

        var revision = changes.NextRevision();
        registry.RemoveNamespace(changes, ns);
        return revision;
    }
}
