using System.Text.RegularExpressions;
using FluentValidation;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;

namespace Registry.Server.Metadata;

/// <summary>The rules of metadata documents and of protocol names wherever they appear.</summary>
internal static partial class MetadataRules
{
    public const int MaxProtocols = 32;
    public const int MaxPathLength = 512;
    public const int MaxTags = 64;
    public const int MaxTagLength = 128;
    public const int MaxInstanceWeights = 10_000;

    public static bool IsProtocolName(string? name) => name is not null && ProtocolPattern().IsMatch(name);

    /// <summary>A protocol name like a URI scheme: a letter, then letters, digits, <c>+ - .</c>; at most 32.</summary>
    public static IRuleBuilderOptions<T, string?> ValidProtocolName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(name => name is null || IsProtocolName(name))
            .WithMessage("'{PropertyName}' must be a protocol name: a letter, then letters, digits, + - or . (at most 32).");

    /// <summary>Instance metadata: the general limits, and <c>protocol.&lt;name&gt;.port</c> values that are ports.</summary>
    public static IRuleBuilderOptions<T, IReadOnlyDictionary<string, string>?> ValidInstanceMetadata<T>(
        this IRuleBuilder<T, IReadOnlyDictionary<string, string>?> rule, MetadataLimits limits) =>
        rule.WithinLimits(limits)
            .Must(ServiceDirectory.HasValidProtocolPorts)
            .WithMessage("Every 'protocol.<name>.port' in '{PropertyName}' must be a port number, 1 to 65535.");

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex ProtocolPattern();
}
