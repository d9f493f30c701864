using FluentValidation;
using Mediator;
using Registry.Contracts.Config;
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
        await writer.WriteAsync(at => Decide(at, command), cancellationToken);

    private Decision<long> Decide(ReadPoint at, DeleteServiceMetadataCommand command)
    {
        var now = time.GetUtcNow();
        var decided = documents.Decide(
            command.ServiceKey(), body: null, ConfigNames.Delete, command.Actor, now, command.IfMatch, ifNoneMatch: null, skipUnchanged: false);
        if (decided.Failure is { } failure)
        {
            return failure;
        }

        return new Proposal(at)
            .Add(decided.Change!)
            .Audited(AuditNote.Change(now, command.Actor, "metadata.delete", command.Namespace, $"{command.Group}/{command.Service}"))
            .Then(revision => revision);
    }
}
