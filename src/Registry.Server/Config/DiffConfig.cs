using DiffPlex.Renderer;
using FluentValidation;
using Mediator;
using Registry.Server.Infrastructure;

namespace Registry.Server.Config;

/// <summary>A unified diff between two versions (<c>to</c> defaults to the current one); a deletion counts as empty.</summary>
internal sealed record DiffConfigQuery(string Namespace, string Group, string DataId, long From, long? To)
    : IQuery<Outcome<string>>, IConfigAddress;

internal sealed class DiffConfigValidator : AbstractValidator<DiffConfigQuery>
{
    public DiffConfigValidator()
    {
        this.ValidateConfigAddress();
        RuleFor(q => q.From).GreaterThanOrEqualTo(1);
        RuleFor(q => q.To).GreaterThanOrEqualTo(1);
    }
}

internal sealed class DiffConfigHandler(ConfigRegistry configs) : IQueryHandler<DiffConfigQuery, Outcome<string>>
{
    private const int ContextLines = 3;

    public ValueTask<Outcome<string>> Handle(DiffConfigQuery query, CancellationToken cancellationToken)
    {
        var key = query.ConfigKey();
        if (configs.Find(key) is not { } current)
        {
            return ValueTask.FromResult<Outcome<string>>(ConfigFailures.NotFound(key));
        }

        var to = query.To ?? current.Version;
        var from = ContentOf(key, current, query.From);
        var target = ContentOf(key, current, to);
        if ((from.Failure ?? target.Failure) is { } failure)
        {
            return ValueTask.FromResult<Outcome<string>>(failure);
        }

        var diff = UnidiffRenderer.GenerateUnidiff(
            WithoutFinalNewline(from.Value!), WithoutFinalNewline(target.Value!),
            $"{key.DataId}@{query.From}", $"{key.DataId}@{to}", contextLines: ContextLines);
        return ValueTask.FromResult<Outcome<string>>(diff);
    }

    /// <summary>A final line break ends the last line; it does not start an empty one.</summary>
    private static string WithoutFinalNewline(string text) =>
        text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;

    private Outcome<string> ContentOf(ConfigKey key, ConfigRecord current, long version) =>
        version == current.Version
            ? current.Content
            : configs.FindVersion(key, version) is { } found
                ? found.Content ?? ""
                : ConfigFailures.VersionNotFound(key, version);
}
