using System.Globalization;
using Registry.Contracts.Naming;
using Registry.Server.Naming;

namespace Registry.Server.Metadata;

/// <summary>
/// What the metadata center says about instances: their effective weight, and where they serve a protocol.
/// </summary>
internal static class ServiceDirectory
{
    /// <summary>Instance metadata keys that declare a protocol: <c>protocol.&lt;name&gt;.port</c> and <c>.path</c>.</summary>
    public const string ProtocolPrefix = "protocol.";

    /// <summary>The document's override, else the registered weight, else the document's default, else 1.</summary>
    public static double EffectiveWeight(InstanceRecord instance, ServiceMetadataRecord? metadata) =>
        metadata is not null && metadata.InstanceWeights.TryGetValue(instance.Id, out var overridden)
            ? overridden
            : instance.Weight ?? metadata?.DefaultWeight ?? 1;

    /// <summary>
    /// Where <paramref name="instance"/> serves <paramref name="protocol"/> (in lower case): its own declaration
    /// first, in whatever case it names the protocol, else the service document's port; null when neither names it.
    /// </summary>
    public static InstanceEndpoint? Endpoint(InstanceRecord instance, ServiceMetadataRecord? metadata, string protocol)
    {
        var declared = metadata?.Protocols.FirstOrDefault(p => string.Equals(p.Name, protocol, StringComparison.OrdinalIgnoreCase));
        var ownPath = Declaration(instance, protocol, ".path");
        if (Declaration(instance, protocol, ".port") is { } ownPort
            && int.TryParse(ownPort, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return new InstanceEndpoint(protocol, instance.Ip, port, ownPath ?? declared?.Path);
        }

        return declared is null ? null : new InstanceEndpoint(protocol, instance.Ip, declared.Port, ownPath ?? declared.Path);
    }

    /// <summary>The value of <c>protocol.&lt;protocol&gt;&lt;suffix&gt;</c> in the instance's metadata, the name in any case.</summary>
    private static string? Declaration(InstanceRecord instance, string protocol, string suffix)
    {
        foreach (var (key, value) in instance.Metadata)
        {
            if (key.Length == ProtocolPrefix.Length + protocol.Length + suffix.Length
                && key.StartsWith(ProtocolPrefix, StringComparison.Ordinal)
                && key.EndsWith(suffix, StringComparison.Ordinal)
                && key.AsSpan(ProtocolPrefix.Length, protocol.Length).Equals(protocol, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
