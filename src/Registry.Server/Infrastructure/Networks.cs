using System.Net;
using System.Net.Sockets;

namespace Registry.Server.Infrastructure;

/// <summary>Networks as operators and admins write them: CIDR (<c>10.20.0.0/16</c>) or one address.</summary>
internal static class Networks
{
    /// <summary>A network as CIDR or one address (a /32 or /128).</summary>
    public static bool TryParse(string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (IPAddress.TryParse(text, out var single) && !text.Contains('/', StringComparison.Ordinal))
        {
            network = new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(text, out network);
    }

    /// <summary>An address as networks hold it: an IPv4-mapped IPv6 address as the IPv4 address it carries.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
