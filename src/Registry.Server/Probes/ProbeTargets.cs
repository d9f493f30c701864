using System.Net;
using Microsoft.Extensions.Options;
using Registry.Server.Infrastructure;

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

        address = Networks.Normalize(address);

        return _allowed.Any(network => network.Contains(address))
            ? null
            : _allowed.Length == 0
                ? $"{address} may not be probed: no network is allowed (Registry:Probes:AllowedNetworks is empty)."
                : $"{address} may not be probed: it is outside Registry:Probes:AllowedNetworks ({string.Join(", ", _allowed)}).";
    }

    private static IPNetwork Parse(string text) =>
        Networks.TryParse(text, out var network) ? network : throw new FormatException($"'{text}' is not a network.");
}
