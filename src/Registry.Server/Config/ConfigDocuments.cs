using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Registry.Contracts.Config;
using Registry.Server.Documents;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Namespaces;

namespace Registry.Server.Config;

/// <summary>Config items as versioned documents: stored as earlier versions stored them, keyed by namespace, group and data id.</summary>
internal sealed class ConfigDocuments : DocumentKind<ConfigKey, ConfigBody>
{
    public static readonly ConfigDocuments Kind = new();

    public static readonly ChangeType[] Types =
    [
        ChangeType.Of("config.written", ConfigJson.Default.ConfigWritten),
        ChangeType.Of("config.trimmed", ConfigJson.Default.ConfigTrimmed),
    ];

    private ConfigDocuments()
    {
    }

    public override string Name => "config";

    public override string HeadCollection => "configs";

    public override string HistoryCollection => "config_history";

    public override ConfigKey ParseKey(string storeKey) => ConfigKey.Parse(storeKey);

    public static ConfigBody Body(string content, string format) => new(content, format, Md5Hex(content), Encoding.UTF8.GetByteCount(content));

    /// <summary>The content's fingerprint as Nacos computes it, so its clients can compare; not for security.</summary>
#pragma warning disable CA5351 // MD5 identifies content here; nothing relies on it being collision-resistant.
    public static string Md5Hex(string content) =>
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(content)));
#pragma warning restore CA5351

    public override byte[] EncodeHead(DocumentHead<ConfigBody> head)
    {
        var (current, body) = (head.Current, head.Current.Body);
        return JsonSerializer.SerializeToUtf8Bytes(new ConfigRecord(
            current.Version, head.FirstVersion, current.Deleted, body?.Content ?? "", body?.Format ?? "", body?.Md5 ?? "", body?.Size ?? 0,
            current.Op, current.Author, current.SourceAddress, current.Time, current.Revision,
            head.Last > current.Version ? head.Last : null, head.Candidate is { } gray ? Record(gray) : null), ConfigJson.Default.ConfigRecord);
    }

    public override DocumentHead<ConfigBody> DecodeHead(byte[] document)
    {
        var record = JsonSerializer.Deserialize(document, ConfigJson.Default.ConfigRecord)
            ?? throw new InvalidDataException("A null config is stored.");
        var body = record.Deleted ? null : new ConfigBody(record.Content, record.Format, record.Md5, record.Size);
        return new DocumentHead<ConfigBody>(
            new DocumentVersion<ConfigBody>(record.Version, record.Op, body, record.Author, record.SourceAddress, record.UpdatedAt, record.Revision),
            record.FirstVersion, record.LastVersion ?? 0, record.Gray is { } gray ? Version(gray) : null);
    }

    public override byte[] EncodeVersion(DocumentVersion<ConfigBody> version) =>
        JsonSerializer.SerializeToUtf8Bytes(Record(version), ConfigJson.Default.ConfigVersionRecord);

    public override DocumentVersion<ConfigBody> DecodeVersion(byte[] document) =>
        Version(JsonSerializer.Deserialize(document, ConfigJson.Default.ConfigVersionRecord)
            ?? throw new InvalidDataException("A null config version is stored."));

    private static ConfigVersionRecord Record(DocumentVersion<ConfigBody> version) => new(
        version.Version, version.Op, version.Body?.Content, version.Body?.Format ?? "", version.Body?.Md5 ?? "", version.Body?.Size ?? 0,
        version.Author, version.SourceAddress, version.Time, version.Revision, version.Body?.Rule);

    private static DocumentVersion<ConfigBody> Version(ConfigVersionRecord record)
    {
        var body = record.Content is null ? null : new ConfigBody(record.Content, record.Format, record.Md5, record.Size, record.Rule);
        return new DocumentVersion<ConfigBody>(record.Version, record.Op, body, record.Author, record.SourceAddress, record.Time, record.Revision);
    }

    public override bool SameContent(ConfigBody a, ConfigBody b) => a.Content == b.Content && a.Format == b.Format;

    public override string Text(ConfigBody body) => body.Content;

    public override IEnumerable<string> Scopes(ConfigKey key) => [NamespaceChanges.Contents(key.Namespace)];

    public override Failure NotFound(ConfigKey key) => ConfigFailures.NotFound(key);

    public override Failure VersionNotFound(ConfigKey key, long version) => ConfigFailures.VersionNotFound(key, version);

    public override Failure VersionIsDeletion(ConfigKey key, long version) => ConfigFailures.VersionIsDeletion(key, version);

    public override Failure VersionMismatch(ConfigKey key, long currentVersion) => ConfigFailures.VersionMismatch(key, currentVersion);
}

internal sealed record ConfigWritten(
    ConfigKey Document,
    DocumentVersion<ConfigBody> Version,
    long FirstVersion,
    long TrimmedFrom,
    DocumentVersion<ConfigBody>? Current = null,
    DocumentVersion<ConfigBody>? Candidate = null)
    : DocumentWritten<ConfigKey, ConfigBody>(Document, Version, FirstVersion, TrimmedFrom, Current, Candidate)
{
    protected override DocumentKind<ConfigKey, ConfigBody> Kind() => ConfigDocuments.Kind;
}

internal sealed record ConfigTrimmed(ConfigKey Document, DocumentHead<ConfigBody> Head, long TrimmedFrom)
    : DocumentTrimmed<ConfigKey, ConfigBody>(Document, Head, TrimmedFrom)
{
    protected override DocumentKind<ConfigKey, ConfigBody> Kind() => ConfigDocuments.Kind;
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ConfigRecord))]
[JsonSerializable(typeof(ConfigVersionRecord))]
[JsonSerializable(typeof(ConfigEvent))]
[JsonSerializable(typeof(ConfigWritten))]
[JsonSerializable(typeof(ConfigTrimmed))]
internal sealed partial class ConfigJson : JsonSerializerContext;
