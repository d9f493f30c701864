using Registry.Server.Infrastructure;

namespace Registry.Server.Naming;

internal static class InstanceRules
{
    public const double MaxWeight = 10_000;

    /// <summary>Longest possible derived id: a host name, a port and a cluster joined by '#'.</summary>
    public const int MaxIdLength = HostRules.MaxLength + 1 + 5 + 1 + NameRules.ClusterMaxLength;

    public static MetadataLimits MetadataLimits(this NamingOptions options) => new(
        options.MaxMetadataEntries, options.MaxMetadataKeyLength,
        options.MaxMetadataValueLength, options.MaxMetadataTotalLength);

    /// <summary>True when a registration would change nothing but the revision.</summary>
    public static bool SameRegistration(InstanceRecord a, InstanceRecord b) =>
        a with { Metadata = b.Metadata, Revision = b.Revision } == b
        && MetadataMaps.AreEqual(a.Metadata, b.Metadata);
}
