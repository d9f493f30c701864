using Registry.Contracts.Metadata;
using Registry.Server.Naming;

namespace Registry.Server.Metadata;

internal static class MetadataMapping
{
    /// <summary>The wire shape; a deleted document has empty contents.</summary>
    public static ServiceMetadataInfo ToInfo(this ServiceMetadataRecord record, ServiceKey key) => new()
    {
        Namespace = key.Namespace,
        Group = key.Group,
        Service = key.Name,
        Version = record.Version,
        Op = record.Op,
        Protocols = record.Deleted ? [] : record.Protocols,
        DefaultWeight = record.Deleted ? null : record.DefaultWeight,
        InstanceWeights = record.Deleted ? new Dictionary<string, double>() : record.InstanceWeights,
        Tags = record.Deleted ? [] : record.Tags,
        Properties = record.Deleted ? Infrastructure.MetadataMaps.Empty : record.Properties,
        Author = record.Author,
        UpdatedAt = record.UpdatedAt,
        Revision = record.Revision,
    };

    public static MetadataVersionInfo ToHistoryEntry(this ServiceMetadataRecord record) => new()
    {
        Version = record.Version,
        Op = record.Op,
        Author = record.Author,
        SourceAddress = record.SourceAddress,
        Time = record.UpdatedAt,
        Revision = record.Revision,
        Document = record.Deleted
            ? null
            : new ServiceMetadata
            {
                Protocols = record.Protocols,
                DefaultWeight = record.DefaultWeight,
                InstanceWeights = record.InstanceWeights,
                Tags = record.Tags,
                Properties = record.Properties,
            },
    };
}
