using FluentValidation;
using Mediator;
using Registry.Server.Audit;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;
using Registry.Server.Storage;

namespace Registry.Server.Namespaces;

/// <summary>Creates a namespace or updates its display name and description.</summary>
internal sealed record PutNamespaceCommand(string Namespace, string? DisplayName, string? Description, Actor Actor)
    : ICommand<NamespaceChange>, IAuditedCommand
{
    public AuditEntry? Describe(object? response) => response is NamespaceChange change
        ? new AuditEntry(Actor, "namespace.put", Namespace, Namespace, change.Namespace.Revision)
        : null;
}

internal sealed record NamespaceChange(NamespaceInfo Namespace, bool Created);

internal sealed class PutNamespaceValidator : AbstractValidator<PutNamespaceCommand>
{
    public PutNamespaceValidator()
    {
        RuleFor(c => c.Namespace).ValidName(NameRules.NamespaceMaxLength);
        RuleFor(c => c.DisplayName).MaximumLength(NamespaceMapping.MaxDisplayNameLength)
            .Must(name => name is null || !name.Any(char.IsControl))
            .WithMessage("'{PropertyName}' must not contain control characters.");
        RuleFor(c => c.Description).MaximumLength(NamespaceMapping.MaxDescriptionLength);
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class PutNamespaceHandler(NamingRegistry registry, Committer committer, TimeProvider time)
    : ICommandHandler<PutNamespaceCommand, NamespaceChange>
{
    public async ValueTask<NamespaceChange> Handle(PutNamespaceCommand command, CancellationToken cancellationToken) =>
        await committer.ExecuteAsync(changes => Put(changes, command), cancellationToken);

    private NamespaceChange Put(ChangeSet changes, PutNamespaceCommand command)
    {
        var current = registry.FindNamespace(command.Namespace);
        var record = new NamespaceRecord(
            command.Namespace,
            command.DisplayName ?? current?.DisplayName ?? command.Namespace,
            command.Description ?? current?.Description ?? "",
            current?.CreatedAt ?? time.GetUtcNow(),
            current?.Revision ?? 0);
        if (record == current)
        {
            return new NamespaceChange(current.ToInfo(registry), Created: false);
        }

        record = record with { Revision = changes.NextRevision() };
        registry.PutNamespace(changes, record);
        return new NamespaceChange(record.ToInfo(registry), Created: current is null);
    }
}
