using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Registry.Server.Audit;
using Microsoft.Extensions.Options;
using Registry.Contracts.Config;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;
using Registry.Server.Metrics;
using Registry.Server.Storage;

namespace Registry.Server.Config;

/// <summary>
/// Publishes content as the next version of a config item. Content identical to the current version (same
/// format too) makes no new version. <c>If-Match</c> / <c>If-None-Match</c> make it a compare-and-set.
/// </summary>
internal sealed record PublishConfigCommand(
    string Namespace, string Group, string DataId, string Content, string Format, string? IfMatch, string? IfNoneMatch, Actor Actor)
    : ICommand<Outcome<ConfigChange>>, IConfigAddress, IAuditedCommand
{
    public AuditEntry? Describe(object? response) => response is Outcome<ConfigChange> { Value: { } change }
        ? new AuditEntry(Actor, "config.publish", Namespace, $"{Group}/{DataId}", change.Config.Revision, $"version {change.Config.Version}")
        : null;
}

/// <summary>The resulting current version; <see cref="Created"/> when the key had no live content before.</summary>
internal sealed record ConfigChange(ConfigInfo Config, bool Created);

internal sealed class PublishConfigValidator : AbstractValidator<PublishConfigCommand>
{
    public PublishConfigValidator()
    {
        this.ValidateConfigAddress();
        RuleFor(c => c.Format).Must(ConfigFormat.IsKnown)
            .WithMessage($"'{{PropertyName}}' must be one of {string.Join(", ", ConfigFormat.Names)}.");
        RuleFor(c => c.Content).Custom((content, context) =>
        {
            var format = context.InstanceToValidate.Format;
            if (ConfigFormat.IsKnown(format) && ConfigFormat.Validate(format, content) is { } error)
            {
                context.AddFailure(new ValidationFailure("content", error.Message) { CustomState = error });
            }
        });
        RuleFor(c => c.IfMatch).ValidEntityTag("If-Match");
        RuleFor(c => c.IfNoneMatch).ValidEntityTag("If-None-Match");
        RuleFor(c => c.Actor).ValidActor();
    }
}

internal sealed class PublishConfigHandler(
    RegistryMetrics metrics, 
    ConfigRegistry configs, NamingRegistry naming, Committer committer, IOptions<ConfigOptions> options, TimeProvider time)
    : ICommandHandler<PublishConfigCommand, Outcome<ConfigChange>>
{
    public async ValueTask<Outcome<ConfigChange>> Handle(PublishConfigCommand command, CancellationToken cancellationToken) =>
        await committer.ExecuteAsync(changes => Publish(changes, command), cancellationToken);

    private Outcome<ConfigChange> Publish(ChangeSet changes, PublishConfigCommand command)
    {
        if (naming.FindNamespace(command.Namespace) is null)
        {
            return NamingFailures.NamespaceNotFound(command.Namespace);
        }

        var key = command.ConfigKey();
        var current = configs.Find(key);
        var live = current is { Deleted: false } ? current : null;
        if (EntityTags.PreconditionFails(command.IfMatch, command.IfNoneMatch, live?.Version))
        {
            return ConfigFailures.VersionMismatch(key, live?.Version ?? 0);
        }

        if (live is not null && live.Content == command.Content && live.Format == command.Format)
        {
            return new ConfigChange(live.ToInfo(key), Created: false);
        }

        var op = live is null ? ConfigNames.Create : ConfigNames.Update;
        var record = configs.Write(
            changes, key, current, command.Content, command.Format, op, command.Actor, time.GetUtcNow(), options.Value.HistoryMaxVersions);
        changes.OnCommitted(() => metrics.ConfigChanges.WithLabels(op).Inc());
        return new ConfigChange(record.ToInfo(key), Created: live is null);
    }
}
