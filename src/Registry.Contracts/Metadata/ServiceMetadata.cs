using System.Text.Json.Serialization;

namespace Registry.Contracts.Metadata;

/// <summary>
/// The metadata document of a service: what <c>PUT /v1/services/{service}/metadata</c> takes and what reads
/// return (with its version).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ServiceMetadata
{
    /// <summary>The protocols the service speaks and their default port and path.</summary>
    public IReadOnlyList<ProtocolInfo>? Protocols { get; init; }

    /// <summary>Weight of instances that registered none, 0..10000.</summary>
    public double? DefaultWeight { get; init; }

    /// <summary>Admin weight overrides by instance id; they win over the registered weight and survive re-registration.</summary>
    public IReadOnlyDictionary<string, double>? InstanceWeights { get; init; }

    /// <summary>Free labels, e.g. a version.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Free string properties.</summary>
    public IReadOnlyDictionary<string, string>? Properties { get; init; }
}

/// <summary>A protocol of a service: its name (e.g. <c>grpc</c>), default port and optional path.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ProtocolInfo(string Name, int Port, string? Path = null);

/// <summary>A service's metadata document with its version.</summary>
public sealed record ServiceMetadataInfo
{
    public required string Namespace { get; init; }
    public required string Group { get; init; }
    public required string Service { get; init; }
    /// <summary>Numbered from 1 per service; every change takes the next one.</summary>
    public required long Version { get; init; }
    /// <summary><c>create</c>, <c>update</c> or <c>delete</c> (then the document is empty).</summary>
    public required string Op { get; init; }
    public required IReadOnlyList<ProtocolInfo> Protocols { get; init; }
    public double? DefaultWeight { get; init; }
    public required IReadOnlyDictionary<string, double> InstanceWeights { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    public required IReadOnlyDictionary<string, string> Properties { get; init; }
    public required string Author { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required long Revision { get; init; }
}

/// <summary>One version in a metadata document's history: who changed it, when and how (the document is read by version).</summary>
public sealed record MetadataVersionInfo
{
    public required long Version { get; init; }
    /// <summary><c>create</c>, <c>update</c> or <c>delete</c>.</summary>
    public required string Op { get; init; }
    public required string Author { get; init; }
    public required string SourceAddress { get; init; }
    public required DateTimeOffset Time { get; init; }
    public required long Revision { get; init; }
    /// <summary>False for a deletion. The document itself is read by version: <c>GET …/metadata?version=N</c>.</summary>
    public required bool HasDocument { get; init; }
}
