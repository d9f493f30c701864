using System.Text.Json.Serialization;

namespace Registry.Contracts.Config;

/// <summary>A config item's current version, without its content (which is read raw).</summary>
public sealed record ConfigInfo
{
    public required string Namespace { get; init; }
    public required string Group { get; init; }
    public required string DataId { get; init; }
    /// <summary>Numbered from 1 per key; every publish, rollback and delete takes the next one.</summary>
    public required long Version { get; init; }
    /// <summary><c>text</c>, <c>json</c>, <c>yaml</c>, <c>properties</c> or <c>xml</c>.</summary>
    public required string Format { get; init; }
    /// <summary>Lower-case hex MD5 of the content's UTF-8 bytes.</summary>
    public required string Md5 { get; init; }
    /// <summary><c>create</c>, <c>update</c>, <c>rollback</c>, <c>delete</c> or <c>promote</c>; for a gray version <c>gray</c> or <c>gray-rule</c>.</summary>
    public required string Op { get; init; }
    public required string Author { get; init; }
    public required string SourceAddress { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Content size in bytes.</summary>
    public required int Size { get; init; }
    /// <summary>The global revision this version took.</summary>
    public required long Revision { get; init; }
    /// <summary>Whether this is the item's gray version, which this client gets by the gray rule.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Gray { get; init; }
}

/// <summary>One entry of a config item's history.</summary>
public sealed record ConfigVersionInfo
{
    public required long Version { get; init; }
    /// <summary>
    /// Also <c>gray</c> (a gray version published), <c>gray-rule</c> (its rule changed), <c>gray-abort</c> (it was
    /// abandoned: no content) and <c>promote</c> (it became the released version).
    /// </summary>
    public required string Op { get; init; }
    /// <summary>Format of this version; empty for a deletion.</summary>
    public required string Format { get; init; }
    /// <summary>MD5 of this version's content; empty for a deletion.</summary>
    public required string Md5 { get; init; }
    public required string Author { get; init; }
    public required string SourceAddress { get; init; }
    public required DateTimeOffset Time { get; init; }
    public required int Size { get; init; }
    public required long Revision { get; init; }
    /// <summary>The clients a gray version was for.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public GrayRule? Rule { get; init; }
}

/// <summary>The data of an <c>event: config</c> server-sent event.</summary>
public sealed record ConfigEvent
{
    public required string Namespace { get; init; }
    public required string Group { get; init; }
    public required string DataId { get; init; }
    public required long Version { get; init; }
    public required string Md5 { get; init; }
    /// <summary><c>create</c>, <c>update</c>, <c>rollback</c>, <c>delete</c>, or <c>snapshot</c> for the current state sent first.</summary>
    public required string Op { get; init; }
    public required string Format { get; init; }
    /// <summary>The content; null after a delete.</summary>
    public string? Content { get; init; }
    public required long Revision { get; init; }
    /// <summary>Whether this is the item's gray version, which this watcher gets by the gray rule.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Gray { get; init; }
}

/// <summary>Names of the config formats and operations on the wire.</summary>
public static class ConfigNames
{
    public const string Text = "text";
    public const string Json = "json";
    public const string Yaml = "yaml";
    public const string Properties = "properties";
    public const string Xml = "xml";

    public const string Create = "create";
    public const string Update = "update";
    public const string Rollback = "rollback";
    public const string Delete = "delete";
    public const string Snapshot = "snapshot";
    public const string Gray = "gray";
    public const string GrayRule = "gray-rule";
    public const string GrayAbort = "gray-abort";
    public const string Promote = "promote";
}

/// <summary>Content a publish would accept: the format it was checked as. Invalid content is a 400 instead.</summary>
public sealed record ConfigValidation(string Format, int Size);
