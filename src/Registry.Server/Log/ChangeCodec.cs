using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Registry.Server.Log;

/// <summary>A kind of change the log can store: its name in the log and how it is serialized.</summary>
internal sealed record ChangeType(string Name, Type Type, Action<Utf8JsonWriter, Change> Serialize, Func<byte[], Change> Deserialize)
{
    public static ChangeType Of<T>(string name, JsonTypeInfo<T> info) where T : Change => new(
        name, typeof(T),
        (writer, change) => JsonSerializer.Serialize(writer, (T)change, info),
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

    /// <summary>Each thread's buffer and JSON writer, reused: an entry is encoded on the request's thread, once.</summary>
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Json)? _scratch;

    public byte[] Encode(IReadOnlyList<Change> changes, IReadOnlyList<AuditNote> audit)
    {
        var (buffer, json) = _scratch ??= NewScratch();
        buffer.ResetWrittenCount();
        WriteInt32(buffer, changes.Count);
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            var type = _byType.TryGetValue(change.GetType(), out var known)
                ? known
                : throw new InvalidOperationException($"The change type {change.GetType().Name} is not registered with the log.");
            WriteString(buffer, type.Name);
            WriteJson(buffer, json, type.Serialize, change);
        }

        WriteInt32(buffer, audit.Count);
        for (var i = 0; i < audit.Count; i++)
        {
            WriteJson(buffer, json, static (writer, note) => JsonSerializer.Serialize(writer, note, AuditStoreJson.Default.AuditNote), audit[i]);
        }

        var body = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > MaxScratchBytes)
        {
            _scratch = null;
        }

        return body;
    }

    private const int MaxScratchBytes = 1024 * 1024;

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewScratch()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        return (buffer, new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }));
    }

    private static void WriteInt32(ArrayBufferWriter<byte> buffer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(sizeof(int)), value);
        buffer.Advance(sizeof(int));
    }

    /// <summary>As <see cref="BinaryWriter.Write(string)"/>: a 7-bit encoded byte length, then UTF-8.</summary>
    private static void WriteString(ArrayBufferWriter<byte> buffer, string value)
    {
        var length = (uint)Encoding.UTF8.GetByteCount(value);
        while (length >= 0x80)
        {
            buffer.GetSpan(1)[0] = (byte)(length | 0x80);
            buffer.Advance(1);
            length >>= 7;
        }

        buffer.GetSpan(1)[0] = (byte)length;
        buffer.Advance(1);
        buffer.Advance(Encoding.UTF8.GetBytes(value, buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length))));
    }

    /// <summary>A length, then the JSON <paramref name="serialize"/> writes, straight into the buffer.</summary>
    private static void WriteJson<T>(ArrayBufferWriter<byte> buffer, Utf8JsonWriter json, Action<Utf8JsonWriter, T> serialize, T value)
    {
        var at = buffer.WrittenCount;
        WriteInt32(buffer, 0);
        json.Reset(buffer);
        serialize(json, value);
        json.Flush();
        var length = buffer.WrittenCount - at - sizeof(int);
        BinaryPrimitives.WriteInt32LittleEndian(MemoryMarshal.AsMemory(buffer.WrittenMemory).Span[at..], length);
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
