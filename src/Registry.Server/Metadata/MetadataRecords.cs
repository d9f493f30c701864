using Registry.Contracts.Metadata;

namespace Registry.Server.Metadata;

/// <summary>What a version of a service's metadata document holds.</summary>
internal sealed record MetadataBody(
    IReadOnlyList<ProtocolInfo> Protocols,
    double? DefaultWeight,
    IReadOnlyDictionary<string, double> InstanceWeights,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Properties);

/// <summary>
/// A version of a service's metadata document, as stored (current state and every history entry). A deleted
/// document stays as a tombstone so numbering goes on.
/// </summary>
/// <param name="FirstVersion">In the current state only: the oldest version history keeps (0 in documents written before retention: 1).</param>
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
    long Revision,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    long FirstVersion = 0);
