using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Registry.Contracts.Config;
using Registry.Server.Events;
using Registry.Server.Infrastructure;
using Registry.Server.Storage;

namespace Registry.Server.Config;

/// <summary>
/// Config items in memory (current content, served without touching the disk) and the writer's way to
/// change them: every change stores the current record and a history entry, and emits a feed event.
/// History is read from the store.
/// </summary>
internal sealed class ConfigRegistry(IRegistryStore store) : IStoreLoadable
{
    public const string EventKind = "config";

    private readonly ConcurrentDictionary<ConfigKey, ConfigRecord> _configs = new();

    /// <summary>Every item, tombstones included.</summary>
    public IEnumerable<KeyValuePair<ConfigKey, ConfigRecord>> All => _configs;

    public ConfigRecord? Find(ConfigKey key) => _configs.GetValueOrDefault(key);

    /// <summary>The live (not deleted) item, or null.</summary>
    public ConfigRecord? FindLive(ConfigKey key) => Find(key) is { Deleted: false } record ? record : null;

    public int CountLive(string ns) => _configs.Count(c => c.Key.Namespace == ns && !c.Value.Deleted);

    public void Load(IRegistryStore source, DateTimeOffset now)
    {
        foreach (var document in source.Scan(ConfigCollections.Configs.Name))
        {
            _configs[ConfigKey.Parse(document.Key)] = ConfigCollections.Configs.Deserialize(document.Value);
        }
    }

    /// <summary>One version from history, or null when it never existed or retention removed it.</summary>
    public ConfigVersionRecord? FindVersion(ConfigKey key, long version)
    {
        var bytes = store.Get(ConfigCollections.History.Name, key.VersionKey(version));
        return bytes is null ? null : ConfigCollections.History.Deserialize(bytes);
    }

    /// <summary>
    /// Writes the next version of <paramref name="key"/>: content (null deletes), on top of
    /// <paramref name="current"/>; returns the new record.
    /// </summary>
    public ConfigRecord Write(
        ChangeSet changes, ConfigKey key, ConfigRecord? current, string? content, string format, string op,
        Actor actor, DateTimeOffset now, int maxVersions)
    {
        var revision = changes.NextRevision();
        var version = (current?.Version ?? 0) + 1;
        var (md5, size) = content is null ? ("", 0) : (Md5Hex(content), Encoding.UTF8.GetByteCount(content));
        var record = new ConfigRecord(
            version, current?.FirstVersion ?? 1, Deleted: content is null, content ?? "", content is null ? "" : format,
            md5, size, op, actor.Name, actor.SourceAddress, now, revision);

        // Count retention: the oldest versions beyond the limit leave history in the same batch.
        if (maxVersions > 0)
        {
            for (var old = record.FirstVersion; old <= version - maxVersions; old++)
            {
                changes.Delete(ConfigCollections.History, key.VersionKey(old));
            }

            record = record with { FirstVersion = Math.Max(record.FirstVersion, version - maxVersions + 1) };
        }

        changes.Create(ConfigCollections.History, key.VersionKey(version), new ConfigVersionRecord(
            version, op, content, record.Format, md5, size, actor.Name, actor.SourceAddress, now, revision));
        Put(changes, key, record);
        changes.Emit(ToEvent(key, record, op));
        return record;
    }

    /// <summary>Removes history up to <paramref name="throughVersion"/> (age retention); never the current version.</summary>
    public void TrimHistory(ChangeSet changes, ConfigKey key, ConfigRecord current, long throughVersion)
    {
        var last = Math.Min(throughVersion, current.Version - 1);
        for (var old = current.FirstVersion; old <= last; old++)
        {
            changes.Delete(ConfigCollections.History, key.VersionKey(old));
        }

        if (last >= current.FirstVersion)
        {
            Put(changes, key, current with { FirstVersion = last + 1 });
        }
    }

    /// <summary>The feed event of a record; <paramref name="op"/> may differ from its own (<c>snapshot</c>).</summary>
    public static ChangeEvent ToEvent(ConfigKey key, ConfigRecord record, string op)
    {
        var data = JsonSerializer.SerializeToUtf8Bytes(new ConfigEvent
        {
            Namespace = key.Namespace,
            Group = key.Group,
            DataId = key.DataId,
            Version = record.Version,
            Md5 = record.Md5,
            Op = op,
            Format = record.Format,
            Content = record.Deleted ? null : record.Content,
            Revision = record.Revision,
        }, ConfigStoreJson.Default.ConfigEvent);
        return new ChangeEvent(
            record.Revision, new EventTopic(EventKind, key.Namespace, key.Group, key.DataId), EventKind, data, data.Length + 128);
    }

    /// <summary>The content's fingerprint as Nacos computes it, so its clients can compare; not for security.</summary>
#pragma warning disable CA5351 // MD5 identifies content here; nothing relies on it being collision-resistant.
    public static string Md5Hex(string content) =>
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(content)));
#pragma warning restore CA5351

    private void Put(ChangeSet changes, ConfigKey key, ConfigRecord record)
    {
        changes.Put(ConfigCollections.Configs, key.ToString(), record);
        var previous = _configs.GetValueOrDefault(key);
        _configs[key] = record;
        changes.OnRollback(() =>
        {
            if (previous is null)
            {
                _configs.TryRemove(key, out _);
            }
            else
            {
                _configs[key] = previous;
            }
        });
    }
}
