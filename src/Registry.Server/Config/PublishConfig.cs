using FluentValidation;
using Mediator;
using Registry.Contracts.Config;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Namespaces;

namespace Registry.Server.Config;

/// <summary>
/// Publishes content as the next version of a config item. Content identical to the current version (same
/// format too) makes no new version. <c>If-Match</c> / <c>If-None-Match</c> make it a compare-and-set.
/// </summary>
internal sealed record PublishConfigCommand(
    string Namespace, string Group, string DataId, string Content, string Format, string? IfMatch, string? IfNoneMatch, Actor Actor)
    : ICommand<Outcome<ConfigChange>>, IConfigContent;

/// <summary>The resulting current version; <see cref="Created"/> when the key had no live content before.</summary>
internal sealed record ConfigChange(ConfigInfo Config, bool Created);

internal sealed class PublishConfigValidator : AbstractValidator<PublishConfigCommand>
{
    public PublishConfigValidator()
    {
        this.ValidateConfigAddress();
        this.ValidateConfigContent();
        RuleFor(c => c.IfMatch).ValidEntityTag("If-Match");
        RuleFor(c => c.IfNoneMatch).ValidEntityTag("If-None-Match");
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class PublishConfigHandler(
    ConfigTable configs, NamespaceTable namespaces, ChangeWriter writer, ConfigMetrics metrics, TimeProvider time)
    : ICommandHandler<PublishConfigCommand, Outcome<ConfigChange>>
{
    public async ValueTask<Outcome<ConfigChange>> Handle(PublishConfigCommand command, CancellationToken cancellationToken) =>
        await writer.WriteAsync(at => Decide(at, command), cancellationToken, serializeOn: configs.Kind.LogKey(command.ConfigKey()));

    private Decision<ConfigChange> Decide(ReadPoint at, PublishConfigCommand command)
    {
        if (namespaces.Find(command.Namespace) is null)
        {
            return NamespaceFailures.NotFound(command.Namespace);
        }

        var key = command.ConfigKey();
        var now = time.GetUtcNow();
        var proposal = new Proposal(at).Read(NamespaceChanges.Key(command.Namespace));
        var decided = configs.Decide(
            proposal, key, ConfigDocuments.Body(command.Content, command.Format), op: null, command.Actor, now, command.IfMatch,
            command.IfNoneMatch, skipUnchanged: true);
        if (decided.Failure is { } failure)
        {
            return failure;
        }

        if (decided.Unchanged is { } live)
        {
            return new ConfigChange(live.ToInfo(key), Created: false);
        }

        var written = decided.Written!;
        return proposal
            .Audited(AuditNote.Change(now, command.Actor, "config.publish", command.Namespace, $"{command.Group}/{command.DataId}", $"version {written.Version}"))
            .Then(revision =>
            {
                metrics.Changes.WithLabels(written.Op).Inc();
                return new ConfigChange((written with { Revision = revision }).ToInfo(key), decided.Created);
            });
    }
}
