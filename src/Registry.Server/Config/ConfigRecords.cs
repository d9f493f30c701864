using System.Text.Json.Serialization;
using Registry.Server.Documents;

namespace Registry.Server.Config;

/// <summary>Identifies a config item; also its store key.</summary>
internal readonly record struct ConfigKey(string Namespace, string Group, string DataId) : IDocumentKey
{
    [JsonIgnore]
    public string Name => DataId;

    public override string ToString() => $"{Namespace}/{Group}/{DataId}";

    public static ConfigKey Parse(string key)
    {
        var parts = key.Split('/', 3);
        return new ConfigKey(parts[0], parts[1], parts[2]);
    }
}

/// <summary>
/// What a version of a config item holds: its content, in a format, with the content's fingerprint and size; a gray
/// version also the rule of the clients it is meant for.
/// </summary>
internal sealed record ConfigBody(string Content, string Format, string Md5, int Size, ConfigGrayRule? Rule = null);

/// <summary>
/// The current state of a config item as stored. A deleted item stays as a tombstone (<see cref="Deleted"/>) so
/// its version numbering goes on when it is published again.
/// </summary>
/// <param name="FirstVersion">The oldest version still in history (retention removes older ones).</param>
internal sealed record ConfigRecord(
    long Version,
    long FirstVersion,
    bool Deleted,
    string Content,
    string Format,
    string Md5,
    int Size,
    string Op,
    string Author,
    string SourceAddress,
    DateTimeOffset UpdatedAt,
    long Revision,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? LastVersion = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ConfigVersionRecord? Gray = null);

/// <summary>One version in a config item's history as stored; a deletion (or a gray release's end) has no content.</summary>
internal sealed record ConfigVersionRecord(
    long Version,
    string Op,
    string? Content,
    string Format,
    string Md5,
    int Size,
    string Author,
    string SourceAddress,
    DateTimeOffset Time,
    long Revision,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ConfigGrayRule? Rule = null);
