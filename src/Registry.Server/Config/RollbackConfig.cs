using FluentValidation;
using Mediator;
using Registry.Contracts.Config;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Config;

/// <summary>
/// Publishes the content of an earlier version as the next version (op <c>rollback</c>); history itself is
/// never rewritten. Nothing changes when the current content is already that.
/// </summary>
internal sealed record RollbackConfigCommand(string Namespace, string Group, string DataId, long To, string? IfMatch, Actor Actor)
    : ICommand<Outcome<ConfigChange>>, IConfigAddress;

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

internal sealed class RollbackConfigHandler(ConfigTable configs, ChangeWriter writer, ConfigMetrics metrics, TimeProvider time)
    : ICommandHandler<RollbackConfigCommand, Outcome<ConfigChange>>
{
    public async ValueTask<Outcome<ConfigChange>> Handle(RollbackConfigCommand command, CancellationToken cancellationToken)
    {
        var key = command.ConfigKey();
        var target = await configs.RollbackBodyAsync(key, command.To, cancellationToken);
        return target.Failure is { } failure
            ? failure
            : await writer.WriteAsync(at => Decide(at, key, target.Value!, command), cancellationToken, serializeOn: configs.Kind.LogKey(key));
    }

    private Decision<ConfigChange> Decide(ReadPoint at, ConfigKey key, ConfigBody body, RollbackConfigCommand command)
    {
        var now = time.GetUtcNow();
        var proposal = new Proposal(at);
        // A gray version rolled back to is released to everyone: without its rule.
        var decided = configs.Decide(
            proposal, key, body with { Rule = null }, ConfigNames.Rollback, command.Actor, now, command.IfMatch, ifNoneMatch: null, skipUnchanged: true);
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
            .Audited(AuditNote.Change(
                now, command.Actor, "config.rollback", command.Namespace, $"{command.Group}/{command.DataId}", $"to version {command.To} as {written.Version}"))
            .Then(revision =>
            {
                metrics.Changes.WithLabels(ConfigNames.Rollback).Inc();
                return new ConfigChange((written with { Revision = revision }).ToInfo(key), decided.Created);
            });
    }
}
