using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using FluentValidation;

namespace Registry.Server.Infrastructure;

/// <summary>
/// Instance addresses: a dotted-quad IPv4, an IPv6 address (without brackets or zone) or an RFC 1123 host
/// name. Normalised so one address has one spelling, which keeps derived instance ids stable.
/// </summary>
internal static partial class HostRules
{
    public const int MaxLength = 253;

    public static bool TryNormalize(string? host, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrEmpty(host) || host.Length > MaxLength)
        {
            return false;
        }

        if (Ipv4Pattern().IsMatch(host))
        {
            normalized = host;
            return true;
        }

        if (host.Contains(':', StringComparison.Ordinal))
        {
            if (host.Contains('%', StringComparison.Ordinal) || host.Contains('[', StringComparison.Ordinal)
                || !IPAddress.TryParse(host, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            normalized = address.ToString();
            return true;
        }

        // An all-numeric last label is an IPv4 address gone wrong (10.0.0.256), not a host name.
        if (!HostNamePattern().IsMatch(host) || host[(host.LastIndexOf('.') + 1)..].All(char.IsAsciiDigit))
        {
            return false;
        }

        normalized = host.ToLower(CultureInfo.InvariantCulture);
        return true;
    }

    public static IRuleBuilderOptions<T, string?> ValidHost<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty()
            .Must(host => TryNormalize(host, out _))
            .WithMessage("'{PropertyName}' must be an IPv4 address, an IPv6 address or a host name.");

    [GeneratedRegex(@"^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4Pattern();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex HostNamePattern();
}
