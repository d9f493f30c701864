using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Registry.Server.Log;

/// <summary>A kind of change the log can store: its name in the log and how it is serialized.</summary>
internal sealed record ChangeType(string Name, Type Type, Func<Change, byte[]> Serialize, Func<byte[], Change> Deserialize)
{
    public static ChangeType Of<T>(string name, JsonTypeInfo<T> info) where T : Change => new(
        name, typeof(T),
        change => JsonSerializer.SerializeToUtf8Bytes((T)change, info),
        bytes => JsonSerializer.Deserialize(bytes, info) ?? throw new InvalidDataException($"A null '{name}' change is in the log."));
}

/// <summary>
/// How the changes of an entry are written into a log and read back: each by the name its feature registered, as
/// JSON. Features own their change types; the log knows them only through this.
/// </summary>
/// <remarks>Body layout: <c>[int32 count]</c> then per change <c>[string name][int32 length][json]</c>; then the audit notes the same way.</remarks>
internal sealed class ChangeCodec
{
    private readonly Dictionary<Type, ChangeType> _byType = [];
    private readonly Dictionary<string, ChangeType> _byName = new(StringComparer.Ordinal);

    public ChangeCodec(IEnumerable<ChangeType> types)
    {
        foreach (var type in types)
        {
            _byType.Add(type.Type, type);
            _byName.Add(type.Name, type);
        }
    }

    public byte[] Encode(IReadOnlyList<Change> changes, IReadOnlyList<AuditNote> audit)
    {
        using var body = new MemoryStream(256);
        using var writer = new BinaryWriter(body, Encoding.UTF8);
        writer.Write(changes.Count);
        foreach (var change in changes)
        {
            var type = _byType.TryGetValue(change.GetType(), out var known)
                ? known
                : throw new InvalidOperationException($"The change type {change.GetType().Name} is not registered with the log.");
            var json = type.Serialize(change);
            writer.Write(type.Name);
            writer.Write(json.Length);
            writer.Write(json);
        }

        writer.Write(audit.Count);
        foreach (var note in audit)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(note, AuditStoreJson.Default.AuditNote);
            writer.Write(json.Length);
            writer.Write(json);
        }

        writer.Flush();
        return body.ToArray();
    }

    public LogEntry Decode(long revision, ReadOnlySpan<byte> body)
    {
        using var reader = new BinaryReader(new MemoryStream(body.ToArray()), Encoding.UTF8);
        var changes = new Change[reader.ReadInt32()];
        for (var i = 0; i < changes.Length; i++)
        {
            var name = reader.ReadString();
            var json = reader.ReadBytes(reader.ReadInt32());
            changes[i] = _byName.TryGetValue(name, out var type)
                ? type.Deserialize(json)
                : throw new InvalidDataException($"The log holds a change of unknown kind '{name}' at revision {revision}.");
        }

        var audit = new AuditNote[reader.ReadInt32()];
        for (var i = 0; i < audit.Length; i++)
        {
            audit[i] = JsonSerializer.Deserialize(reader.ReadBytes(reader.ReadInt32()), AuditStoreJson.Default.AuditNote)
                ?? throw new InvalidDataException($"A null audit note is in the log at revision {revision}.");
        }

        return new LogEntry(revision, changes, audit);
    }
}
