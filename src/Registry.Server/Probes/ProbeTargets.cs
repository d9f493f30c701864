using System.Net;
using Microsoft.Extensions.Options;

namespace Registry.Server.Probes;

/// <summary>
/// The addresses the server may probe: those inside <see cref="ProbeOptions.AllowedNetworks"/>. Only address literals
/// are probed; a host name is refused, since what it resolves to can change after it was allowed.
/// </summary>
internal sealed class ProbeTargets(IOptions<ProbeOptions> options)
{
    private readonly IPNetwork[] _allowed = [.. options.Value.AllowedNetworks.Select(Parse)];

    /// <summary>Why <paramref name="host"/> may not be probed, or null when it may.</summary>
    public string? Refusal(string host)
    {
        if (!IPAddress.TryParse(host, out var address))
        {
            return $"'{host}' is a host name; health checks probe addresses only (what a name resolves to can change).";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return _allowed.Any(network => network.Contains(address))
            ? null
            : _allowed.Length == 0
                ? $"{address} may not be probed: no network is allowed (Registry:Probes:AllowedNetworks is empty)."
                : $"{address} may not be probed: it is outside Registry:Probes:AllowedNetworks ({string.Join(", ", _allowed)}).";
    }

    /// <summary>A network as CIDR (<c>10.20.0.0/16</c>) or one address (a /32 or /128).</summary>
    public static bool TryParseNetwork(string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (IPAddress.TryParse(text, out var single) && !text.Contains('/', StringComparison.Ordinal))
        {
            network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(text, out network);
    }

    private static IPNetwork Parse(string text) =>
        TryParseNetwork(text, out var network) ? network : throw new FormatException($"'{text}' is not a network.");
}
