using System.Text.Json;
using System.Text.Json.Serialization;
using Registry.Contracts.Metadata;
using Registry.Server.Documents;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Naming;

namespace Registry.Server.Metadata;

/// <summary>Services' metadata documents as versioned documents: stored as earlier versions stored them, keyed by service.</summary>
internal sealed class MetadataDocuments : DocumentKind<ServiceKey, MetadataBody>
{
    public static readonly MetadataDocuments Kind = new();

    public static readonly ChangeType[] Types =
    [
        ChangeType.Of("metadata.written", MetadataJson.Default.MetadataWritten),
        ChangeType.Of("metadata.trimmed", MetadataJson.Default.MetadataTrimmed),
        ChangeType.Of("metadata.removed", MetadataJson.Default.MetadataRemoved),
    ];

    private static readonly IReadOnlyDictionary<string, double> NoWeights = new Dictionary<string, double>();

    private MetadataDocuments()
    {
    }

    public override string Name => "metadata";

    public override string HeadCollection => "service_metadata";

    public override string HistoryCollection => "service_metadata_history";

    public override ServiceKey ParseKey(string storeKey) => ServiceKey.Parse(storeKey);

    public override byte[] EncodeHead(DocumentHead<MetadataBody> head) =>
        JsonSerializer.SerializeToUtf8Bytes(Record(head.Current) with { FirstVersion = head.FirstVersion }, MetadataJson.Default.ServiceMetadataRecord);

    public override DocumentHead<MetadataBody> DecodeHead(byte[] document)
    {
        var record = Deserialize(document);
        return new DocumentHead<MetadataBody>(Version(record), Math.Max(1, record.FirstVersion));
    }

    public override byte[] EncodeVersion(DocumentVersion<MetadataBody> version) =>
        JsonSerializer.SerializeToUtf8Bytes(Record(version), MetadataJson.Default.ServiceMetadataRecord);

    public override DocumentVersion<MetadataBody> DecodeVersion(byte[] document) => Version(Deserialize(document));

    public override bool SameContent(MetadataBody a, MetadataBody b) =>
        Text(a) == Text(b);

    /// <summary>The document as indented JSON, one field per line, for a diff.</summary>
    public override string Text(MetadataBody body) => JsonSerializer.Serialize(new ServiceMetadata
    {
        Protocols = body.Protocols,
        DefaultWeight = body.DefaultWeight,
        InstanceWeights = body.InstanceWeights,
        Tags = body.Tags,
        Properties = body.Properties,
    }, MetadataJson.Indented.ServiceMetadata);

    public override Failure NotFound(ServiceKey key) => MetadataFailures.NotFound(key);

    public override Failure VersionNotFound(ServiceKey key, long version) => MetadataFailures.VersionNotFound(key, version);

    public override Failure VersionIsDeletion(ServiceKey key, long version) => MetadataFailures.VersionIsDeletion(key, version);

    public override Failure VersionMismatch(ServiceKey key, long currentVersion) => MetadataFailures.VersionMismatch(key, currentVersion);

    private static ServiceMetadataRecord Deserialize(byte[] document) =>
        JsonSerializer.Deserialize(document, MetadataJson.Default.ServiceMetadataRecord)
        ?? throw new InvalidDataException("A null metadata document is stored.");

    private static ServiceMetadataRecord Record(DocumentVersion<MetadataBody> version)
    {
        var body = version.Body;
        return new ServiceMetadataRecord(
            version.Version, version.Op, version.Deleted, body?.Protocols ?? [], body?.DefaultWeight, body?.InstanceWeights ?? NoWeights,
            body?.Tags ?? [], body?.Properties ?? MetadataMaps.Empty, version.Author, version.SourceAddress, version.Time, version.Revision);
    }

    private static DocumentVersion<MetadataBody> Version(ServiceMetadataRecord record) => new(
        record.Version, record.Op,
        record.Deleted ? null : new MetadataBody(record.Protocols, record.DefaultWeight, record.InstanceWeights, record.Tags, record.Properties),
        record.Author, record.SourceAddress, record.UpdatedAt, record.Revision);
}

internal sealed record MetadataWritten(
    ServiceKey Document,
    DocumentVersion<MetadataBody> Version,
    long FirstVersion,
    long TrimmedFrom,
    DocumentVersion<MetadataBody>? Current = null,
    DocumentVersion<MetadataBody>? Candidate = null)
    : DocumentWritten<ServiceKey, MetadataBody>(Document, Version, FirstVersion, TrimmedFrom, Current, Candidate)
{
    protected override DocumentKind<ServiceKey, MetadataBody> Kind() => MetadataDocuments.Kind;
}

internal sealed record MetadataTrimmed(ServiceKey Document, DocumentHead<MetadataBody> Head, long TrimmedFrom)
    : DocumentTrimmed<ServiceKey, MetadataBody>(Document, Head, TrimmedFrom)
{
    protected override DocumentKind<ServiceKey, MetadataBody> Kind() => MetadataDocuments.Kind;
}

internal sealed record MetadataRemoved(ServiceKey Document) : DocumentRemoved<ServiceKey, MetadataBody>(Document)
{
    protected override DocumentKind<ServiceKey, MetadataBody> Kind() => MetadataDocuments.Kind;
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ServiceMetadataRecord))]
[JsonSerializable(typeof(ServiceMetadataInfo))]
[JsonSerializable(typeof(ServiceMetadata))]
[JsonSerializable(typeof(MetadataWritten))]
[JsonSerializable(typeof(MetadataTrimmed))]
[JsonSerializable(typeof(MetadataRemoved))]
internal sealed partial class MetadataJson : JsonSerializerContext
{
    /// <summary>Documents as people read them in a diff.</summary>
    public static MetadataJson Indented { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
}
