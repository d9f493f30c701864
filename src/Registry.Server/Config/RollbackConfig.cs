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
/// Publishes the content of an earlier version as the next version (op <c>rollback</c>); history itself is
/// never rewritten. Nothing changes when the current content is already that.
/// </summary>
internal sealed record RollbackConfigCommand(string Namespace, string Group, string DataId, long To, string? IfMatch, Actor Actor)
    : ICommand<Outcome<ConfigChange>>, IConfigAddress, IAuditedCommand
{
    public AuditEntry? Describe(object? response) => response is Outcome<ConfigChange> { Value: { } change }
        ? new AuditEntry(Actor, "config.rollback", Namespace, $"{Group}/{DataId}", change.Config.Revision, $"to version {To} as {change.Config.Version}")
        : null;
}

internal sealed class RollbackConfigValidator : AbstractValidator<RollbackConfigCommand>
{
    public RollbackConfigValidator()
    {
        this.ValidateConfigAddress();
        RuleFor(c => c.To).GreaterThanOrEqualTo(1);
        RuleFor(c => c.IfMatch).ValidEntityTag("If-Match");
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class RollbackConfigHandler(
    RegistryMetrics metrics, ConfigRegistry configs, Committer committer, IOptions<ConfigOptions> options, TimeProvider time)
    : ICommandHandler<RollbackConfigCommand, Outcome<ConfigChange>>
{
    public async ValueTask<Outcome<ConfigChange>> Handle(RollbackConfigCommand command, CancellationToken cancellationToken)
    {
        var key = command.ConfigKey();
        if (configs.Find(key) is not { } current)
        {
            return ConfigFailures.NotFound(key);
        }

        // History entries never change, so the target is read here, off the writer, from the store.
        var target = current.Version == command.To ? null : configs.FindVersion(key, command.To);
        if (current.Version != command.To && target is null)
        {
            return ConfigFailures.VersionNotFound(key, command.To);
        }

        var (content, format) = target is null ? (current.Deleted ? null : current.Content, current.Format) : (target.Content, target.Format);
        if (content is null)
        {
            return ConfigFailures.VersionIsDeletion(key, command.To);
        }

        return await committer.ExecuteAsync(changes => Rollback(changes, key, content, format, command), cancellationToken);
    }

    private Outcome<ConfigChange> Rollback(ChangeSet changes, ConfigKey key, string content, string format, RollbackConfigCommand command)
    {
        var current = configs.Find(key);
        var live = current is { Deleted: false } ? current : null;
        if (EntityTags.PreconditionFails(command.IfMatch, ifNoneMatch: null, live?.Version))
        {
            return ConfigFailures.VersionMismatch(key, live?.Version ?? 0);
        }

        if (live is not null && live.Content == content && live.Format == format)
        {
            return new ConfigChange(live.ToInfo(key), Created: false);
        }

        var record = configs.Write(
            changes, key, current, content, format, ConfigNames.Rollback, command.Actor, time.GetUtcNow(), options.Value.HistoryMaxVersions);
        changes.OnCommitted(() => metrics.ConfigChanges.WithLabels(ConfigNames.Rollback).Inc());
        return new ConfigChange(record.ToInfo(key), Created: live is null);
    }
}
