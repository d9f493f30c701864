using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Namespaces;

internal sealed record NamespaceRecord(string Id, string DisplayName, string Description, DateTimeOffset CreatedAt, long Revision);

/// <summary>The namespaces, a projection of the log: the built-in one, replaced by its stored record once an admin edits it.</summary>
internal sealed class NamespaceTable : IProjection
{
    private readonly ConcurrentDictionary<string, NamespaceRecord> _namespaces = new(StringComparer.Ordinal);

    public NamespaceTable()
    {
        _namespaces[NameRules.DefaultNamespace] = Default;
    }

    public static NamespaceRecord Default { get; } =
        new(NameRules.DefaultNamespace, NameRules.DefaultNamespace, "The default namespace.", DateTimeOffset.UnixEpoch, 0);

    public ICollection<NamespaceRecord> All => _namespaces.Values;

    public NamespaceRecord? Find(string id) => _namespaces.GetValueOrDefault(id);

    public void Load(IDocumentReader snapshot)
    {
        foreach (var record in NamespaceChanges.Collection.ReadAll(snapshot))
        {
            _namespaces[record.Id] = record;
        }
    }

    public void Apply(LogEntry entry, EventBatch events)
    {
        foreach (var change in entry.Changes)
        {
            switch (change)
            {
                case NamespacePut put:
                    _namespaces[put.Record.Id] = put.Record with { Revision = entry.Revision };
                    break;
                case NamespaceRemoved removed:
                    _namespaces.TryRemove(removed.Id, out _);
                    break;
            }
        }
    }
}

/// <summary>What lives in a namespace, as the features that keep things there count them.</summary>
internal interface INamespaceContents
{
    NamespaceCounts Count(string ns);
}

internal readonly record struct NamespaceCounts(int Services, int Instances, int Healthy, int ConfigItems)
{
    public static NamespaceCounts operator +(NamespaceCounts a, NamespaceCounts b) =>
        new(a.Services + b.Services, a.Instances + b.Instances, a.Healthy + b.Healthy, a.ConfigItems + b.ConfigItems);
}

/// <summary>A namespace created or edited.</summary>
internal sealed record NamespacePut(NamespaceRecord Record) : Change
{
    public override string Key() => NamespaceChanges.Key(Record.Id);

    public override void Materialize(IDocumentWriter writer, long revision) =>
        NamespaceChanges.Collection.Put(writer, Record.Id, Record with { Revision = revision });
}

internal sealed record NamespaceRemoved(string Id) : Change
{
    public override string Key() => NamespaceChanges.Key(Id);

    public override void Materialize(IDocumentWriter writer, long revision) => NamespaceChanges.Collection.Delete(writer, Id);
}

internal static class NamespaceChanges
{
    public static readonly StoreCollection<NamespaceRecord> Collection = new("namespaces", NamespaceJson.Default.NamespaceRecord);

    public static readonly ChangeType[] Types =
    [
        ChangeType.Of("namespace.put", NamespaceJson.Default.NamespacePut),
        ChangeType.Of("namespace.removed", NamespaceJson.Default.NamespaceRemoved),
    ];

    public static string Key(string ns) => "namespaces/" + ns;

    /// <summary>
    /// Written by every change that adds to a namespace or takes from it (a service, a config item): deleting a
    /// namespace because it is empty depends on it.
    /// </summary>
    public static string Contents(string ns) => "namespaces/" + ns + "/contents";
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(NamespaceRecord))]
[JsonSerializable(typeof(NamespacePut))]
[JsonSerializable(typeof(NamespaceRemoved))]
internal sealed partial class NamespaceJson : JsonSerializerContext;
