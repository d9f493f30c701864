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
    };

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
    };
}
