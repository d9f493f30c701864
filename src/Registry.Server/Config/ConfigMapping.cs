using Registry.Contracts.Config;

namespace Registry.Server.Config;

internal static class ConfigMapping
{
    public static ConfigInfo ToInfo(this ConfigRecord record, ConfigKey key) => new()
    {
        Namespace = key.Namespace,
        Group = key.Group,
        DataId = key.DataId,
        Version = record.Version,
        Format = record.Format,
        Md5 = record.Md5,
        Op = record.Op,
        Author = record.Author,
        SourceAddress = record.SourceAddress,
        UpdatedAt = record.UpdatedAt,
        Size = record.Size,
        Revision = record.Revision,
    };

    public static ConfigInfo ToInfo(this ConfigVersionRecord version, ConfigKey key) => new()
    {
        Namespace = key.Namespace,
        Group = key.Group,
        DataId = key.DataId,
        Version = version.Version,
        Format = version.Format,
        Md5 = version.Md5,
        Op = version.Op,
        Author = version.Author,
        SourceAddress = version.SourceAddress,
        UpdatedAt = version.Time,
        Size = version.Size,
        Revision = version.Revision,
    };

    public static ConfigVersionInfo ToHistoryEntry(this ConfigVersionRecord version) => new()
    {
        Version = version.Version,
        Op = version.Op,
        Format = version.Format,
        Md5 = version.Md5,
        Author = version.Author,
        SourceAddress = version.SourceAddress,
        Time = version.Time,
        Size = version.Size,
        Revision = version.Revision,
    };
}
