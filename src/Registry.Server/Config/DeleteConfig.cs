using FluentValidation;
using Mediator;
using Registry.Contracts.Config;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Config;

/// <summary>
/// Deletes a config item: recorded in history as the next version, after which reads get 404 and a new
/// publish continues the numbering. Returns the revision.
/// </summary>
internal sealed record DeleteConfigCommand(string Namespace, string Group, string DataId, string? IfMatch, Actor Actor)
    : ICommand<Outcome<long>>, IConfigAddress;

internal sealed class DeleteConfigValidator : AbstractValidator<DeleteConfigCommand>
{
    public DeleteConfigValidator()
    {
        this.ValidateConfigAddress();
        RuleFor(c => c.IfMatch).ValidEntityTag("If-Match");
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class DeleteConfigHandler(ConfigTable configs, ChangeWriter writer, ConfigMetrics metrics, TimeProvider time)
    : ICommandHandler<DeleteConfigCommand, Outcome<long>>
{
    public async ValueTask<Outcome<long>> Handle(DeleteConfigCommand command, CancellationToken cancellationToken) =>
        await writer.WriteAsync(at => Decide(at, command), cancellationToken, serializeOn: configs.Kind.LogKey(command.ConfigKey()));

    private Decision<long> Decide(ReadPoint at, DeleteConfigCommand command)
    {
        var now = time.GetUtcNow();
        var proposal = new Proposal(at);
        var decided = configs.Decide(
            proposal, command.ConfigKey(), body: null, ConfigNames.Delete, command.Actor, now, command.IfMatch, ifNoneMatch: null,
            skipUnchanged: false, endsCandidate: true);
        if (decided.Failure is { } failure)
        {
            return failure;
        }

        return proposal
            .Audited(AuditNote.Change(now, command.Actor, "config.delete", command.Namespace, $"{command.Group}/{command.DataId}"))
            .Then(revision =>
            {
                metrics.Changes.WithLabels(ConfigNames.Delete).Inc();
                return revision;
            });
    }
}
