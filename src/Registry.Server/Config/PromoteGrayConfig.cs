using FluentValidation;
using Mediator;
using Registry.Contracts.Config;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Config;

/// <summary>
/// Promotes a config item's gray version: its content becomes the next released version (op <c>promote</c>), for every
/// client, and the item has no gray version after it.
/// </summary>
internal sealed record PromoteGrayConfigCommand(string Namespace, string Group, string DataId, Actor Actor)
    : ICommand<Outcome<ConfigChange>>, IConfigAddress;

internal sealed class PromoteGrayConfigValidator : AbstractValidator<PromoteGrayConfigCommand>
{
    public PromoteGrayConfigValidator()
    {
        this.ValidateConfigAddress();
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class PromoteGrayConfigHandler(ConfigTable configs, ChangeWriter writer, ConfigMetrics metrics, TimeProvider time)
    : ICommandHandler<PromoteGrayConfigCommand, Outcome<ConfigChange>>
{
    public async ValueTask<Outcome<ConfigChange>> Handle(PromoteGrayConfigCommand command, CancellationToken cancellationToken) =>
        await writer.WriteAsync(at => Decide(at, command), cancellationToken, serializeOn: configs.Kind.LogKey(command.ConfigKey()));

    private Decision<ConfigChange> Decide(ReadPoint at, PromoteGrayConfigCommand command)
    {
        var key = command.ConfigKey();
        var proposal = new Proposal(at);
        if (configs.Head(proposal, key)?.Candidate is not { Body: { } gray } candidate)
        {
            return ConfigFailures.GrayNotFound(key);
        }

        var now = time.GetUtcNow();
        var decided = configs.Decide(
            proposal, key, gray with { Rule = null }, ConfigNames.Promote, command.Actor, now, ifMatch: null, ifNoneMatch: null,
            skipUnchanged: false, endsCandidate: true);
        if (decided.Failure is { } failure)
        {
            return failure;
        }

        var written = decided.Written!;
        return proposal
            .Audited(AuditNote.Change(
                now, command.Actor, "config.promote", command.Namespace, $"{command.Group}/{command.DataId}",
                $"gray version {candidate.Version} as {written.Version}"))
            .Then(revision =>
            {
                metrics.Changes.WithLabels(ConfigNames.Promote).Inc();
                return new ConfigChange((written with { Revision = revision }).ToInfo(key), Created: false);
            });
    }
}
