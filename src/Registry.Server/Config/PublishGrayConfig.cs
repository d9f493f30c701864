using System.Text;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;
using Registry.Contracts.Config;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Namespaces;

namespace Registry.Server.Config;

/// <summary>
/// Publishes a gray version of a config item: content the clients its rule names get instead of the released version,
/// until it is promoted or aborted. It takes the item's next version number and is in its history (op <c>gray</c>);
/// a gray version published again replaces the one before. Its format is the released version's unless given.
/// </summary>
internal sealed record PublishGrayConfigCommand(
    string Namespace, string Group, string DataId, string? Content, string? Format, GrayRule? Rule, Actor Actor)
    : ICommand<Outcome<ConfigGrayInfo>>, IConfigAddress;

internal sealed class PublishGrayConfigValidator : AbstractValidator<PublishGrayConfigCommand>
{
    public PublishGrayConfigValidator(ConfigTable configs)
    {
        this.ValidateConfigAddress();
        RuleFor(c => c.Content).NotNull();
        RuleFor(c => c.Format).KnownFormat().When(c => c.Format is not null);

        // Checked as a publish checks content, in the format it will have: its own, else the released version's.
        RuleFor(c => c.Content).ValidIn(c => c.Format ?? configs.FindLive(c.ConfigKey())?.Body?.Format ?? ConfigNames.Text);
        RuleFor(c => c.Rule).ValidGrayRule();
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class PublishGrayConfigHandler(
    ConfigTable configs, NamespaceTable namespaces, ChangeWriter writer, ConfigMetrics metrics, IOptions<ConfigOptions> options,
    TimeProvider time)
    : ICommandHandler<PublishGrayConfigCommand, Outcome<ConfigGrayInfo>>
{
    public async ValueTask<Outcome<ConfigGrayInfo>> Handle(PublishGrayConfigCommand command, CancellationToken cancellationToken)
    {
        // As large as a publish may be, and refused as a publish is.
        var maxBytes = options.Value.MaxContentBytes;
        if (Encoding.UTF8.GetByteCount(command.Content!) > maxBytes)
        {
            return ConfigFailures.ContentTooLarge(maxBytes);
        }

        return await writer.WriteAsync(at => Decide(at, command), cancellationToken, serializeOn: configs.Kind.LogKey(command.ConfigKey()));
    }

    private Decision<ConfigGrayInfo> Decide(ReadPoint at, PublishGrayConfigCommand command)
    {
        if (namespaces.Find(command.Namespace) is null)
        {
            return NamespaceFailures.NotFound(command.Namespace);
        }

        var key = command.ConfigKey();
        var proposal = new Proposal(at).Read(NamespaceChanges.Key(command.Namespace));
        if (configs.Head(proposal, key) is not { Live.Body: { } released } head)
        {
            return ConfigFailures.GrayWithoutRelease(key);
        }

        var body = ConfigDocuments.Body(command.Content!, command.Format ?? released.Format) with { Rule = command.Rule!.ToRecord() };
        if (head.Candidate?.Body is { } gray && configs.Kind.SameContent(gray, body) && GrayRules.SameRule(gray.Rule!, body.Rule))
        {
            return head.ToGrayInfo(key);
        }

        var now = time.GetUtcNow();
        var decided = configs.DecideNote(proposal, key, body, ConfigNames.Gray, isCandidate: true, command.Actor, now);
        return GrayWrites.Written(proposal, decided, key, now, command.Actor, "config.gray", configs, metrics);
    }
}
