namespace Registry.Server.Config;

/// <summary>Identifies a config item; also its store key.</summary>
internal readonly record struct ConfigKey(string Namespace, string Group, string DataId)
{
    public override string ToString() => $"{Namespace}/{Group}/{DataId}";

    /// <summary>The store key of one version; zero-padded so keys sort by version.</summary>
    public string VersionKey(long version) => $"{Namespace}/{Group}/{DataId}/{version:D12}";

    public static ConfigKey Parse(string key)
    {
        var parts = key.Split('/', 3);
        return new ConfigKey(parts[0], parts[1], parts[2]);
    }
}

/// <summary>
/// The current state of a config item. A deleted item stays as a tombstone (<see cref="Deleted"/>) so its
/// version numbering goes on when it is published again.
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
    long Revision);

/// <summary>One version in a config item's history; a deletion has no content.</summary>
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
    long Revision);
