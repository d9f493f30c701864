using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Registry.Server.Storage;

/// <summary>
/// The journal of earlier versions (<c>registry.db.journal</c>): batches of document writes. A server that stopped
/// with one (after a crash) left acknowledged writes in it; they are folded into the data file at the next start,
/// before anything else, and the file is removed.
/// </summary>
/// <remarks>
/// Record layout: <c>[int32 length][uint32 crc32][payload]</c>; payload: <c>[int64 revision][int32 count]</c>
/// then per write <c>[string collection][string key][int32 length or -1][bytes]</c>. A torn tail is ignored.
/// </remarks>
internal static class LegacyJournal
{
    private const int HeaderSize = 8;

    public static string PathOf(string dataFile) => dataFile + ".journal";

    /// <summary>Every intact batch, in order; an empty list when there is no file.</summary>
    public static List<LegacyBatch> Read(string path)
    {
        var batches = new List<LegacyBatch>();
        if (!File.Exists(path))
        {
            return batches;
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
        var header = new byte[HeaderSize];
        while (file.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) == HeaderSize)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(header);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
            if (length <= 0 || length > file.Length - file.Position)
            {
                break;
            }

            var payload = new byte[length];
            file.ReadExactly(payload);
            if (Crc32.HashToUInt32(payload) != crc)
            {
                break;
            }

            batches.Add(Decode(payload));
        }

        return batches;
    }

    private static LegacyBatch Decode(byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        var revision = reader.ReadInt64();
        var count = reader.ReadInt32();
        var writes = new List<(string Collection, string Key, byte[]? Value)>(count);
        for (var i = 0; i < count; i++)
        {
            var collection = reader.ReadString();
            var key = reader.ReadString();
            var length = reader.ReadInt32();
            writes.Add((collection, key, length < 0 ? null : reader.ReadBytes(length)));
        }

        return new LegacyBatch(revision, writes);
    }
}

/// <summary>One batch of the earlier journal: document writes (a null value deletes) up to a revision.</summary>
internal sealed record LegacyBatch(long Revision, IReadOnlyList<(string Collection, string Key, byte[]? Value)> Writes);
