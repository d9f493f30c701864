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

    protected override Change Write(
        ConfigKey key, DocumentVersion<ConfigBody> version, long firstVersion, long trimmedFrom, DocumentVersion<ConfigBody>? current,
        DocumentVersion<ConfigBody>? candidate) =>
        new ConfigWritten(key, version, firstVersion, trimmedFrom, current, candidate);

    /// <summary>
    /// The version meant for <paramref name="client"/>: the gray version when the item has one and the client matches its
    /// rule, else the released one; null when the item is not live.
    /// </summary>
    public DocumentVersion<ConfigBody>? Resolve(ConfigKey key, ConfigClient client) =>
        Find(key) is not { Live: { } live } head ? null
        : head.Candidate is { Body.Rule: { } rule } gray && rule.Matches(client) ? gray
        : live;

    /// <summary>
    /// Every change of an item, gray ones too, is an event on its topic; a watcher is sent what is meant for it then
    /// (<see cref="Resolve"/>), which the event's own version need not be.
    /// </summary>
    protected override void Written(ConfigKey key, DocumentHead<ConfigBody> head, DocumentVersion<ConfigBody> written, EventBatch events) =>
        events.Add(ToEvent(key, written, written.Op));
}

/// <summary>A config version as pushed to watchers, serialized once for all of them.</summary>
internal sealed class ConfigPayload(ConfigKey key, DocumentVersion<ConfigBody> version, string op) : EventPayload
{
    /// <summary>The version the event carries.</summary>
    public long Version => version.Version;

    /// <summary>Whether it is a change of the item's gray version (published, its rule changed, aborted, promoted).</summary>
    public bool Gray => version.Body?.Rule is not null || op is ConfigNames.GrayAbort or ConfigNames.Promote;

    public string Op => op;

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
        Gray = version.Body?.Rule is not null,
    }, ConfigJson.Default.ConfigEvent);
}
