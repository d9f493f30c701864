using FluentValidation;
using Mediator;
using Registry.Server.Audit;
using Registry.Contracts.Config;
using Registry.Server.Config;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;
using Registry.Server.Storage;

namespace Registry.Server.Metadata;

/// <summary>Deletes a service's metadata document: the next version, a tombstone, recorded in history.</summary>
internal sealed record DeleteServiceMetadataCommand(string Namespace, string Group, string Service, string? IfMatch, Actor Actor)
    : ICommand<Outcome<long>>, IServiceAddress, IAuditedCommand
{
    public AuditEntry? Describe(object? response) => response is Outcome<long> { Failure: null } done
        ? new AuditEntry(Actor, "metadata.delete", Namespace, $"{Group}/{Service}", done.Value)
        : null;
}

internal sealed class DeleteServiceMetadataValidator : AbstractValidator<DeleteServiceMetadataCommand>
{
    public DeleteServiceMetadataValidator()
    {
        this.ValidateServiceAddress();
        RuleFor(c => c.IfMatch).ValidEntityTag("If-Match");
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class DeleteServiceMetadataHandler(NamingRegistry registry, Committer committer, TimeProvider time)
    : ICommandHandler<DeleteServiceMetadataCommand, Outcome<long>>
{
    public async ValueTask<Outcome<long>> Handle(DeleteServiceMetadataCommand command, CancellationToken cancellationToken) =>
        await committer.ExecuteAsync(changes => Delete(changes, command), cancellationToken);

    private Outcome<long> Delete(ChangeSet changes, DeleteServiceMetadataCommand command)
    {
        var key = command.ServiceKey();
        if (registry.FindService(key) is not { LiveMetadata: { } live } service)
        {
            return MetadataFailures.NotFound(key);
        }

        if (command.IfMatch is not null && !EntityTags.Matches(command.IfMatch, live.Version))
        {
            return MetadataFailures.VersionMismatch(key, live.Version);
        }

        var revision = changes.NextRevision();
        NamingRegistry.PutMetadata(changes, service, live with
        {
            Version = live.Version + 1,
            Op = ConfigNames.Delete,
            Deleted = true,
            Author = command.Actor.Name,
            SourceAddress = command.Actor.SourceAddress,
            UpdatedAt = time.GetUtcNow(),
            Revision = revision,
        });
        return revision;
    }
}
