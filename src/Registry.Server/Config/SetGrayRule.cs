using FluentValidation;
using Mediator;
using Registry.Contracts.Config;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Config;

/// <summary>
/// Changes which clients get a config item's gray version (widens it, usually): the same content under the new rule,
/// as the item's next version (op <c>gray-rule</c>). A client the new rule takes in or leaves out gets the version now
/// meant for it.
/// </summary>
internal sealed record SetGrayRuleCommand(string Namespace, string Group, string DataId, GrayRule? Rule, Actor Actor)
    : ICommand<Outcome<ConfigGrayInfo>>, IConfigAddress;

internal sealed class SetGrayRuleValidator : AbstractValidator<SetGrayRuleCommand>
{
    public SetGrayRuleValidator()
    {
        this.ValidateConfigAddress();
        RuleFor(c => c.Rule).ValidGrayRule().OverridePropertyName("body");
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class SetGrayRuleHandler(ConfigTable configs, ChangeWriter writer, ConfigMetrics metrics, TimeProvider time)
    : ICommandHandler<SetGrayRuleCommand, Outcome<ConfigGrayInfo>>
{
    public async ValueTask<Outcome<ConfigGrayInfo>> Handle(SetGrayRuleCommand command, CancellationToken cancellationToken) =>
        await writer.WriteAsync(at => Decide(at, command), cancellationToken, serializeOn: configs.Kind.LogKey(command.ConfigKey()));

    private Decision<ConfigGrayInfo> Decide(ReadPoint at, SetGrayRuleCommand command)
    {
        var key = command.ConfigKey();
        var proposal = new Proposal(at);
        if (configs.Head(proposal, key) is not { Candidate.Body: { } gray } head)
        {
            return ConfigFailures.GrayNotFound(key);
        }

        var rule = command.Rule!.ToRecord();
        if (GrayRules.SameRule(gray.Rule!, rule))
        {
            return head.ToGrayInfo(key);
        }

        var now = time.GetUtcNow();
        var decided = configs.DecideNote(proposal, key, gray with { Rule = rule }, ConfigNames.GrayRule, isCandidate: true, command.Actor, now);
        return GrayWrites.Written(proposal, decided, key, now, command.Actor, "config.gray-rule", configs, metrics);
    }
}
