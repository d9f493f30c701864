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
    /// Where <paramref name="instance"/> serves <paramref name="protocol"/>: its own declaration first, else the
    /// service document's port; null when neither names the protocol.
    /// </summary>
    public static InstanceEndpoint? Endpoint(InstanceRecord instance, ServiceMetadataRecord? metadata, string protocol)
    {
        var declared = metadata?.Protocols.FirstOrDefault(p => string.Equals(p.Name, protocol, StringComparison.OrdinalIgnoreCase));
        var ownPath = instance.Metadata.GetValueOrDefault($"{ProtocolPrefix}{protocol}.path");
        if (instance.Metadata.TryGetValue($"{ProtocolPrefix}{protocol}.port", out var ownPort)
            && int.TryParse(ownPort, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return new InstanceEndpoint(protocol, instance.Ip, port, ownPath ?? declared?.Path);
        }

        return declared is null ? null : new InstanceEndpoint(protocol, instance.Ip, declared.Port, ownPath ?? declared.Path);
    }

    /// <summary>True when every <c>protocol.*.port</c> in an instance's metadata is a port number.</summary>
    public static bool HasValidProtocolPorts(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is null || metadata
            .Where(entry => entry.Key.StartsWith(ProtocolPrefix, StringComparison.Ordinal) && entry.Key.EndsWith(".port", StringComparison.Ordinal))
            .All(entry => int.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535);
}
