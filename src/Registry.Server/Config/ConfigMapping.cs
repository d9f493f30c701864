using Registry.Contracts.Config;
using Registry.Server.Documents;

namespace Registry.Server.Config;

internal static class ConfigMapping
{
    public static ConfigInfo ToInfo(this DocumentVersion<ConfigBody> version, ConfigKey key) => new()
    {
        Namespace = key.Namespace,
        Group = key.Group,
        DataId = key.DataId,
        Version = version.Version,
        Format = version.Body?.Format ?? "",
        Md5 = version.Body?.Md5 ?? "",
        Op = version.Op,
        Author = version.Author,
        SourceAddress = version.SourceAddress,
        UpdatedAt = version.Time,
        Size = version.Body?.Size ?? 0,
        Revision = version.Revision,
        Gray = version.Body?.Rule is not null,
    };

    /// <summary>The wire shape of an item's gray version, beside its released one.</summary>
    public static ConfigGrayInfo ToGrayInfo(this DocumentHead<ConfigBody> head, ConfigKey key)
    {
        var gray = head.Candidate!;
        var body = gray.Body!;
        return new ConfigGrayInfo
        {
            Namespace = key.Namespace,
            Group = key.Group,
            DataId = key.DataId,
            Version = gray.Version,
            ReleasedVersion = head.Version,
            Format = body.Format,
            Md5 = body.Md5,
            Size = body.Size,
            Rule = body.Rule!.ToContract(),
            Op = gray.Op,
            Author = gray.Author,
            SourceAddress = gray.SourceAddress,
            UpdatedAt = gray.Time,
            Revision = gray.Revision,
        };
    }

    public static ConfigVersionInfo ToHistoryEntry(this DocumentVersion<ConfigBody> version) => new()
    {
        Version = version.Version,
        Op = version.Op,
        Format = version.Body?.Format ?? "",
        Md5 = version.Body?.Md5 ?? "",
        Author = version.Author,
        SourceAddress = version.SourceAddress,
        Time = version.Time,
        Size = version.Body?.Size ?? 0,
        Revision = version.Revision,
        Rule = version.Body?.Rule?.ToContract(),
    };
}
