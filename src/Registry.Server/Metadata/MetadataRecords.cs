using Registry.Contracts.Metadata;

namespace Registry.Server.Metadata;

/// <summary>
/// A version of a service's metadata document, as stored (current state and every history entry). A deleted
/// document stays as a tombstone so numbering goes on.
/// </summary>
internal sealed record ServiceMetadataRecord(
    long Version,
    string Op,
    bool Deleted,
    IReadOnlyList<ProtocolInfo> Protocols,
    double? DefaultWeight,
    IReadOnlyDictionary<string, double> InstanceWeights,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Properties,
    string Author,
    string SourceAddress,
    DateTimeOffset UpdatedAt,
    long Revision);
