using FluentValidation;
using Mediator;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Namespaces;

/// <summary>Creates a namespace or updates its display name and description.</summary>
internal sealed record PutNamespaceCommand(string Namespace, string? DisplayName, string? Description, Actor Actor)
    : ICommand<NamespaceChange>;

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

internal sealed class PutNamespaceHandler(NamespaceTable namespaces, NamespaceCounter counter, ChangeWriter writer, TimeProvider time)
    : ICommandHandler<PutNamespaceCommand, NamespaceChange>
{
    public async ValueTask<NamespaceChange> Handle(PutNamespaceCommand command, CancellationToken cancellationToken) =>
        (await writer.WriteAsync(at => Decide(at, command), cancellationToken)).Value!;

    private Decision<NamespaceChange> Decide(ReadPoint at, PutNamespaceCommand command)
    {
        var current = namespaces.Find(command.Namespace);
        var record = new NamespaceRecord(
            command.Namespace,
            command.DisplayName ?? current?.DisplayName ?? command.Namespace,
            command.Description ?? current?.Description ?? "",
            current?.CreatedAt ?? time.GetUtcNow(),
            current?.Revision ?? 0);
        if (record == current)
        {
            return new NamespaceChange(current.ToInfo(counter), Created: false);
        }

        return new Proposal(at)
            .Add(new NamespacePut(record))
            .Audited(AuditNote.Change(time.GetUtcNow(), command.Actor, "namespace.put", command.Namespace, command.Namespace))
            .Then(revision => new NamespaceChange((record with { Revision = revision }).ToInfo(counter), Created: current is null));
    }
}
