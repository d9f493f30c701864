using FluentValidation;
using Mediator;
using Registry.Contracts.Config;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Config;

/// <summary>
/// Abandons a config item's gray version: its clients fall back to the released version, and history notes it as the
/// item's next version (op <c>gray-abort</c>, no content). Answers that version's number.
/// </summary>
internal sealed record AbortGrayConfigCommand(string Namespace, string Group, string DataId, Actor Actor)
    : ICommand<Outcome<ConfigVersionInfo>>, IConfigAddress;

internal sealed class AbortGrayConfigValidator : AbstractValidator<AbortGrayConfigCommand>
{
    public AbortGrayConfigValidator()
    {
        this.ValidateConfigAddress();
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class AbortGrayConfigHandler(ConfigTable configs, ChangeWriter writer, ConfigMetrics metrics, TimeProvider time)
    : ICommandHandler<AbortGrayConfigCommand, Outcome<ConfigVersionInfo>>
{
    public async ValueTask<Outcome<ConfigVersionInfo>> Handle(AbortGrayConfigCommand command, CancellationToken cancellationToken) =>
        await writer.WriteAsync(at => Decide(at, command), cancellationToken, serializeOn: configs.Kind.LogKey(command.ConfigKey()));

    private Decision<ConfigVersionInfo> Decide(ReadPoint at, AbortGrayConfigCommand command)
    {
        var key = command.ConfigKey();
        var proposal = new Proposal(at);
        if (configs.Head(proposal, key)?.Candidate is not { } candidate)
        {
            return ConfigFailures.GrayNotFound(key);
        }

        var now = time.GetUtcNow();
        var decided = configs.DecideNote(proposal, key, body: null, ConfigNames.GrayAbort, isCandidate: false, command.Actor, now);
        if (decided.Failure is { } failure)
        {
            return failure;
        }

        var written = decided.Written!;
        return proposal
            .Audited(AuditNote.Change(
                now, command.Actor, "config.gray-abort", command.Namespace, $"{command.Group}/{command.DataId}",
                $"gray version {candidate.Version}, noted as {written.Version}"))
            .Then(revision =>
            {
                metrics.Changes.WithLabels(ConfigNames.GrayAbort).Inc();
                return (written with { Revision = revision }).ToHistoryEntry();
            });
    }
}
