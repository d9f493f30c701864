using FluentValidation;
using Mediator;
using Registry.Server.Documents;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Naming;

namespace Registry.Server.Metadata;

/// <summary>Deletes a service's metadata document: the next version, a tombstone, recorded in history.</summary>
internal sealed record DeleteServiceMetadataCommand(string Namespace, string Group, string Service, string? IfMatch, Actor Actor)
    : ICommand<Outcome<long>>, IServiceAddress;

internal sealed class DeleteServiceMetadataValidator : AbstractValidator<DeleteServiceMetadataCommand>
{
    public DeleteServiceMetadataValidator()
    {
        this.ValidateServiceAddress();
        RuleFor(c => c.IfMatch).ValidEntityTag("If-Match");
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class DeleteServiceMetadataHandler(MetadataTable documents, ChangeWriter writer, TimeProvider time)
    : ICommandHandler<DeleteServiceMetadataCommand, Outcome<long>>
{
    public async ValueTask<Outcome<long>> Handle(DeleteServiceMetadataCommand command, CancellationToken cancellationToken) =>
        await writer.WriteAsync(at => Decide(at, command), cancellationToken, serializeOn: documents.Kind.LogKey(command.ServiceKey()));

    private Decision<long> Decide(ReadPoint at, DeleteServiceMetadataCommand command)
    {
        var now = time.GetUtcNow();
        var proposal = new Proposal(at);
        var decided = documents.Decide(
            proposal, command.ServiceKey(), body: null, DocumentOps.Delete, command.Actor, now, command.IfMatch, ifNoneMatch: null,
            skipUnchanged: false);
        if (decided.Failure is { } failure)
        {
            return failure;
        }

        return proposal
            .Audited(AuditNote.Change(now, command.Actor, "metadata.delete", command.Namespace, $"{command.Group}/{command.Service}"))
            .Then(revision => revision);
    }
}
