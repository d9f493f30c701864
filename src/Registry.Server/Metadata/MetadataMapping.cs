using Registry.Contracts.Metadata;
using Registry.Server.Documents;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;

namespace Registry.Server.Metadata;

internal static class MetadataMapping
{
    private static readonly IReadOnlyDictionary<string, double> NoWeights = new Dictionary<string, double>();

    /// <summary>The wire shape; a deleted document has empty contents.</summary>
    public static ServiceMetadataInfo ToInfo(this DocumentVersion<MetadataBody> version, ServiceKey key) => new()
    {
        Namespace = key.Namespace,
        Group = key.Group,
        Service = key.Name,
        Version = version.Version,
        Op = version.Op,
        Protocols = version.Body?.Protocols ?? [],
        DefaultWeight = version.Body?.DefaultWeight,
        InstanceWeights = version.Body?.InstanceWeights ?? NoWeights,
        Tags = version.Body?.Tags ?? [],
        Properties = version.Body?.Properties ?? MetadataMaps.Empty,
        Author = version.Author,
        UpdatedAt = version.Time,
        Revision = version.Revision,
    };

    public static MetadataVersionInfo ToHistoryEntry(this DocumentVersion<MetadataBody> version) => new()
    {
        Version = version.Version,
        Op = version.Op,
        Author = version.Author,
        SourceAddress = version.SourceAddress,
        Time = version.Time,
        Revision = version.Revision,
        HasDocument = version.Body is not null,
    };
}
