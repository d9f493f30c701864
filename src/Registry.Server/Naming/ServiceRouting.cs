using System.Globalization;
using Registry.Contracts.Metadata;
using Registry.Contracts.Naming;
using Registry.Server.Events;

namespace Registry.Server.Naming;

/// <summary>
/// How consumers reach a service's instances, as its metadata document says: the protocols it serves (name, port,
/// path), a default weight and per-instance weights. The metadata center sets it; naming only reads it.
/// </summary>
/// <param name="Document">The document as the metadata center publishes it, for a watch's first snapshot.</param>
internal sealed record ServiceRouting(
    IReadOnlyList<ProtocolInfo> Protocols, double? DefaultWeight, IReadOnlyDictionary<string, double> InstanceWeights,
    EventPayload Document)
{
    /// <summary>Instance metadata keys that declare a protocol: <c>protocol.&lt;name&gt;.port</c> and <c>.path</c>.</summary>
    public const string ProtocolPrefix = "protocol.";

    /// <summary>The document's override, else the registered weight, else the document's default, else 1.</summary>
    public static double EffectiveWeight(Instance instance, ServiceRouting? routing) => Weigh(instance, routing).Weight;

    /// <summary>The weight selection uses and which of <see cref="WeightSources"/> it comes from.</summary>
    public static (double Weight, string Source) Weigh(Instance instance, ServiceRouting? routing) =>
        routing is not null && routing.InstanceWeights.TryGetValue(instance.Id, out var overridden) ? (overridden, WeightSources.Override)
        : instance.Weight is { } own ? (own, WeightSources.Instance)
        : routing?.DefaultWeight is { } fallback ? (fallback, WeightSources.ServiceDefault)
        : (1, WeightSources.Default);

    /// <summary>
    /// Where <paramref name="instance"/> serves <paramref name="protocol"/> (in lower case): its own declaration
    /// first, in whatever case it names the protocol, else the service document's port; null when neither names it.
    /// </summary>
    public static InstanceEndpoint? Endpoint(Instance instance, ServiceRouting? routing, string protocol)
    {
        var declared = routing?.Protocols.FirstOrDefault(p => string.Equals(p.Name, protocol, StringComparison.OrdinalIgnoreCase));
        var ownPath = Declaration(instance, protocol, ".path");
        if (Declaration(instance, protocol, ".port") is { } ownPort
            && int.TryParse(ownPort, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return new InstanceEndpoint(protocol, instance.Ip, port, ownPath ?? declared?.Path);
        }

        return declared is null ? null : new InstanceEndpoint(protocol, instance.Ip, declared.Port, ownPath ?? declared.Path);
    }

    /// <summary>The value of <c>protocol.&lt;protocol&gt;&lt;suffix&gt;</c> in the instance's metadata, the name in any case.</summary>
    private static string? Declaration(Instance instance, string protocol, string suffix)
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
