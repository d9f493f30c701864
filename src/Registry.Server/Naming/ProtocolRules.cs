using System.Globalization;
using System.Text.RegularExpressions;
using FluentValidation;
using Registry.Server.Infrastructure;

namespace Registry.Server.Naming;

/// <summary>The rules of protocol names and paths wherever they appear (instance metadata, metadata documents, queries).</summary>
internal static partial class ProtocolRules
{
    public const int MaxPathLength = 512;

    public static bool IsProtocolName(string? name) => name is not null && ProtocolPattern().IsMatch(name);

    /// <summary>A path a protocol is served under: starts with <c>/</c>, no spaces or control characters, at most 512.</summary>
    public static bool IsProtocolPath(string? path) =>
        path is { Length: > 0 and <= MaxPathLength } && path[0] == '/' && !path.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    public static IRuleBuilderOptions<T, string?> ValidProtocolPath<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(path => path is null || IsProtocolPath(path))
            .WithMessage($"'{{PropertyName}}' must start with '/' and hold no spaces or control characters (at most {MaxPathLength}).");

    /// <summary>A protocol name like a URI scheme: a letter, then letters, digits, <c>+ - .</c>; at most 32.</summary>
    public static IRuleBuilderOptions<T, string?> ValidProtocolName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(name => name is null || IsProtocolName(name))
            .WithMessage("'{PropertyName}' must be a protocol name: a letter, then letters, digits, + - or . (at most 32).");

    /// <summary>
    /// Instance metadata: the general limits, and protocol declarations (<c>protocol.&lt;name&gt;.port</c> and
    /// <c>.path</c>) that name a protocol and give a port number or a path.
    /// </summary>
    public static IRuleBuilderOptions<T, IReadOnlyDictionary<string, string>?> ValidInstanceMetadata<T>(
        this IRuleBuilder<T, IReadOnlyDictionary<string, string>?> rule, MetadataLimits limits) =>
        rule.WithinLimits(limits)
            .Must(metadata => Declarations(metadata, ".port").All(d => IsProtocolName(d.Protocol)
                && int.TryParse(d.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535))
            .WithMessage("Every 'protocol.<name>.port' in '{PropertyName}' must name a protocol (a letter, then letters, digits, + - or .) "
                + "and give a port number, 1 to 65535.")
            .Must(metadata => Declarations(metadata, ".path").All(d => IsProtocolName(d.Protocol) && IsProtocolPath(d.Value)))
            .WithMessage("Every 'protocol.<name>.path' in '{PropertyName}' must name a protocol and give a path that starts with '/' "
                + $"and holds no spaces or control characters (at most {MaxPathLength}).");

    /// <summary>The <c>protocol.&lt;name&gt;&lt;suffix&gt;</c> entries of instance metadata.</summary>
    private static IEnumerable<(string Protocol, string Value)> Declarations(IReadOnlyDictionary<string, string>? metadata, string suffix) =>
        (metadata ?? new Dictionary<string, string>())
            .Where(entry => entry.Key.StartsWith(ServiceRouting.ProtocolPrefix, StringComparison.Ordinal)
                && entry.Key.EndsWith(suffix, StringComparison.Ordinal)
                && entry.Key.Length > ServiceRouting.ProtocolPrefix.Length + suffix.Length)
            .Select(entry => (entry.Key[ServiceRouting.ProtocolPrefix.Length..^suffix.Length], entry.Value));

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex ProtocolPattern();
}
