using System.Text.Json;
using Microsoft.Extensions.Options;
using Registry.Contracts.Config;
using Registry.Server.Documents;
using Registry.Server.Events;
using Registry.Server.Log;
using Registry.Server.Namespaces;

namespace Registry.Server.Config;

/// <summary>Config items in memory (current content, served without touching the disk), a projection of the log.</summary>
internal sealed class ConfigTable(IOptions<ConfigOptions> options, IChangeLog log)
    : DocumentTable<ConfigKey, ConfigBody>(ConfigDocuments.Kind, log), INamespaceContents
{
    public const string EventKind = "config";

    public override int MaxVersions => options.Value.HistoryMaxVersions;

    public NamespaceCounts Count(string ns) => new(0, 0, 0, LiveIn(ns));

    public override Change Trim(ConfigKey key, DocumentHead<ConfigBody> head, long trimmedFrom) => new ConfigTrimmed(key, head, trimmedFrom);

    /// <summary>The feed event of a version; <paramref name="op"/> may differ from its own (<c>snapshot</c>).</summary>
    public static ChangeEvent ToEvent(ConfigKey key, DocumentVersion<ConfigBody> version, string op) =>
        new(version.Revision, new EventTopic(EventKind, key.Namespace, key.Group, key.DataId), EventKind, new ConfigPayload(key, version, op));

    protected override Change Write(ConfigKey key, DocumentVersion<ConfigBody> version, long firstVersion, long trimmedFrom) =>
        new ConfigWritten(key, version, firstVersion, trimmedFrom);

    protected override void Written(ConfigKey key, DocumentHead<ConfigBody> head, EventBatch events) =>
        events.Add(ToEvent(key, head.Current, head.Current.Op));
}

/// <summary>A config version as pushed to watchers, serialized once for all of them.</summary>
internal sealed class ConfigPayload(ConfigKey key, DocumentVersion<ConfigBody> version, string op) : EventPayload
{
    public override int Size => (version.Body?.Content.Length ?? 0) * 2 + 128;

    protected override byte[] Render() => JsonSerializer.SerializeToUtf8Bytes(new ConfigEvent
    {
        Namespace = key.Namespace,
        Group = key.Group,
        DataId = key.DataId,
        Version = version.Version,
        Md5 = version.Body?.Md5 ?? "",
        Op = op,
        Format = version.Body?.Format ?? "",
        Content = version.Body?.Content,
        Revision = version.Revision,
    }, ConfigJson.Default.ConfigEvent);
}
