using FluentValidation;
using Mediator;
using Registry.Server.Documents;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Namespaces;
using Registry.Server.Naming;

namespace Registry.Server.Metadata;

/// <summary>
/// Writes the document of an earlier version as the next version (op <c>rollback</c>); history itself is never
/// rewritten. Nothing changes when the current document is already that.
/// </summary>
internal sealed record RollbackServiceMetadataCommand(string Namespace, string Group, string Service, long To, string? IfMatch, Actor Actor)
    : ICommand<Outcome<MetadataChange>>, IServiceAddress;

internal sealed class RollbackServiceMetadataValidator : AbstractValidator<RollbackServiceMetadataCommand>
{
    public RollbackServiceMetadataValidator()
    {
        this.ValidateServiceAddress();
        RuleFor(c => c.To).GreaterThanOrEqualTo(1);
        RuleFor(c => c.IfMatch).ValidEntityTag("If-Match");
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class RollbackServiceMetadataHandler(MetadataTable documents, ChangeWriter writer, TimeProvider time)
    : ICommandHandler<RollbackServiceMetadataCommand, Outcome<MetadataChange>>
{
    public async ValueTask<Outcome<MetadataChange>> Handle(RollbackServiceMetadataCommand command, CancellationToken cancellationToken)
    {
        var key = command.ServiceKey();
        var target = await documents.RollbackBodyAsync(key, command.To, cancellationToken);
        return target.Failure is { } failure
            ? failure
            : await writer.WriteAsync(at => Decide(at, key, target.Value!, command), cancellationToken, serializeOn: documents.Kind.LogKey(key));
    }

    private Decision<MetadataChange> Decide(ReadPoint at, ServiceKey key, MetadataBody body, RollbackServiceMetadataCommand command)
    {
        var now = time.GetUtcNow();

        // A document (even a deleted one) lives as long as its service: the service's removal conflicts with this write.
        var proposal = new Proposal(at).Read(NamespaceChanges.Key(command.Namespace)).Read(NamingChanges.Key(key));
        var decided = documents.Decide(
            proposal, key, body, DocumentOps.Rollback, command.Actor, now, command.IfMatch, ifNoneMatch: null, skipUnchanged: true);
        if (decided.Failure is { } failure)
        {
            return failure;
        }

        if (decided.Unchanged is { } live)
        {
            return new MetadataChange(live.ToInfo(key), Created: false);
        }

        var written = decided.Written!;
        return proposal
            .Audited(AuditNote.Change(
                now, command.Actor, "metadata.rollback", command.Namespace, $"{command.Group}/{command.Service}",
                $"to version {command.To} as {written.Version}"))
            .Then(revision => new MetadataChange((written with { Revision = revision }).ToInfo(key), decided.Created));
    }
}
