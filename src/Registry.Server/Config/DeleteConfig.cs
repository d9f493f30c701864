using FluentValidation;
using Mediator;
using Registry.Server.Audit;
using Microsoft.Extensions.Options;
using Registry.Contracts.Config;
using Registry.Server.Infrastructure;
using Registry.Server.Metrics;
using Registry.Server.Storage;

namespace Registry.Server.Config;

/// <summary>
/// Deletes a config item: recorded in history as the next version, after which reads get 404 and a new
/// publish continues the numbering. Returns the revision.
/// </summary>
internal sealed record DeleteConfigCommand(string Namespace, string Group, string DataId, string? IfMatch, Actor Actor)
    : ICommand<Outcome<long>>, IConfigAddress, IAuditedCommand
{
    public AuditEntry? Describe(object? response) => response is Outcome<long> { Failure: null } done
        ? new AuditEntry(Actor, "config.delete", Namespace, $"{Group}/{DataId}", done.Value)
        : null;
}

internal sealed class DeleteConfigValidator : AbstractValidator<DeleteConfigCommand>
{
    public DeleteConfigValidator()
    {
        this.ValidateConfigAddress();
        RuleFor(c => c.IfMatch).ValidEntityTag("If-Match");
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class DeleteConfigHandler(
    RegistryMetrics metrics, ConfigRegistry configs, Committer committer, IOptions<ConfigOptions> options, TimeProvider time)
    : ICommandHandler<DeleteConfigCommand, Outcome<long>>
{
    public async ValueTask<Outcome<long>> Handle(DeleteConfigCommand command, CancellationToken cancellationToken) =>
        await committer.ExecuteAsync(changes => Delete(changes, command), cancellationToken);

    private Outcome<long> Delete(ChangeSet changes, DeleteConfigCommand command)
    {
        var key = command.ConfigKey();
        if (configs.FindLive(key) is not { } live)
        {
            return ConfigFailures.NotFound(key);
        }

        if (EntityTags.PreconditionFails(command.IfMatch, ifNoneMatch: null, live.Version))
        {
            return ConfigFailures.VersionMismatch(key, live.Version);
        }

        var record = configs.Write(
            changes, key, live, content: null, live.Format, ConfigNames.Delete, command.Actor, time.GetUtcNow(),
            options.Value.HistoryMaxVersions);
        changes.OnCommitted(() => metrics.ConfigChanges.WithLabels(ConfigNames.Delete).Inc());
        return record.Revision;
    }
}
