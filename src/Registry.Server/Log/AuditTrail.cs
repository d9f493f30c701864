using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Registry.Server.Infrastructure;

namespace Registry.Server.Log;

/// <summary>
/// Who did what, attached to the entry that did it: durable with the change it records, or not at all. An entry of
/// refusals carries notes and no changes.
/// </summary>
/// <param name="Revision">
/// Null: the revision of the entry that carries the note (the change it records); a refusal records 0.
/// </param>
internal sealed record AuditNote(
    DateTimeOffset Time, Actor Actor, string Action, string Namespace, string Target, string Outcome, string? Detail, long? Revision = null)
{
    public const string Ok = "ok";
    public const string Denied = "denied";

    public static AuditNote Change(DateTimeOffset time, Actor actor, string action, string ns, string target, string? detail = null) =>
        new(time, actor, action, ns, target, Ok, detail);
}

/// <summary>An audit entry as stored; keyed by time, then revision, so the log reads in order.</summary>
internal sealed record AuditRecord(
    DateTimeOffset Time, string Actor, string Address, string Action, string Namespace, string Target, string Outcome,
    string? Detail, long Revision)
{
    public static readonly StoreCollection<AuditRecord> Collection = new("audit", AuditStoreJson.Default.AuditRecord);

    /// <summary>The key prefix of everything recorded before <paramref name="time"/>: keys start with the UTC ticks.</summary>
    public static string KeyPrefix(DateTimeOffset time) => time.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>Writes the notes of an entry; the key is built from the entry alone, so a replay writes the same keys.</summary>
    public static void Materialize(IDocumentWriter writer, LogEntry entry) =>
        Materialize(writer, entry, entry.Revision.ToString("D12", CultureInfo.InvariantCulture));

    /// <summary>
    /// Writes the notes of an entry under keys told apart by <paramref name="tag"/>, for a store that writes an entry
    /// before its revision is known (the cluster store): the entry's revision is a stamp the store replaces.
    /// </summary>
    public static void Materialize(IDocumentWriter writer, LogEntry entry, string tag)
    {
        for (var i = 0; i < entry.Audit.Count; i++)
        {
            var note = entry.Audit[i];
            var key = string.Create(CultureInfo.InvariantCulture, $"{KeyPrefix(note.Time)}-{tag}-{i:D4}");
            Collection.Put(writer, key, new AuditRecord(
                note.Time, note.Actor.Name, note.Actor.SourceAddress, note.Action, note.Namespace, note.Target, note.Outcome, note.Detail,
                note.Revision ?? entry.Revision), created: true);
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AuditRecord))]
[JsonSerializable(typeof(AuditNote))]
internal sealed partial class AuditStoreJson : JsonSerializerContext;
