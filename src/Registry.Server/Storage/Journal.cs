using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Registry.Server.Storage;

/// <summary>
/// An append-only log of store batches, fsynced once per batch: what makes a write durable before LiteDB,
/// whose commit returns before its own log reaches the disk, has written it. Replayed into LiteDB at start.
/// </summary>
/// <remarks>
/// Record layout: <c>[int32 length][uint32 crc32][payload]</c>; payload: <c>[int64 revision][int32 count]</c>
/// then per write <c>[string collection][string key][int32 length or -1][bytes]</c>. A torn or corrupt
/// tail (a write cut short by a crash, never acknowledged) is cut off on open.
/// </remarks>
internal sealed class Journal : IDisposable
{
    private const int HeaderSize = 8;
    private readonly FileStream _file;
    private readonly MemoryStream _buffer = new();

    public Journal(string path)
    {
        // FileShare.None: a second server on the same data directory fails at start instead of corrupting it.
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
    }

    public long Length => _file.Length;

    /// <summary>Where the next batch will be written.</summary>
    public long Position => _file.Position;

    /// <summary>Reads every intact batch from the start and leaves the file positioned after the last one.</summary>
    public List<StoreBatch> ReadAll()
    {
        var batches = new List<StoreBatch>();
        _file.Position = 0;
        var header = new byte[HeaderSize];
        long end = 0;
        while (_file.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) == HeaderSize)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(header);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
            if (length <= 0 || length > _file.Length - _file.Position)
            {
                break;
            }

            var payload = new byte[length];
            _file.ReadExactly(payload);
            if (Crc32.HashToUInt32(payload) != crc)
            {
                break;
            }

            batches.Add(Decode(payload));
            end = _file.Position;
        }

        if (end != _file.Length)
        {
            _file.SetLength(end);
            _file.Flush(flushToDisk: true);
        }

        _file.Position = end;
        return batches;
    }

    /// <summary>Appends a batch and fsyncs; on failure the file is cut back to where it was.</summary>
    public void Append(StoreBatch batch)
    {
        var start = _file.Position;
        try
        {
            var record = Encode(batch);
            _file.Write(record.Span);
            _file.Flush(flushToDisk: true);
        }
        catch
        {
            TryTruncate(start);
            throw;
        }
    }

    /// <summary>Removes what was written after <paramref name="length"/>: a batch that could not be applied after all.</summary>
    public void TruncateTo(long length) => TryTruncate(length);

    public void Reset()
    {
        _file.SetLength(0);
        _file.Position = 0;
        _file.Flush(flushToDisk: true);
    }

    public void Dispose()
    {
        _file.Dispose();
        _buffer.Dispose();
    }

    private void TryTruncate(long length)
    {
        try
        {
            _file.SetLength(length);
            _file.Position = length;
            _file.Flush(flushToDisk: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The disk refuses even this; the torn tail fails its checksum and is cut off at the next start.
            _file.Position = length;
        }
    }

    private ReadOnlyMemory<byte> Encode(StoreBatch batch)
    {
        _buffer.SetLength(0);
        _buffer.Write(new byte[HeaderSize]);
        using (var writer = new BinaryWriter(_buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(batch.Revision);
            writer.Write(batch.Writes.Count);
            foreach (var write in batch.Writes)
            {
                writer.Write(write.Collection);
                writer.Write(write.Key);
                if (write.Value is null)
                {
                    writer.Write(-1);
                }
                else
                {
                    writer.Write(write.Value.Length);
                    writer.Write(write.Value);
                }
            }
        }

        var record = _buffer.GetBuffer().AsMemory(0, (int)_buffer.Length);
        var payload = record[HeaderSize..].Span;
        BinaryPrimitives.WriteInt32LittleEndian(record.Span, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.Span[4..], Crc32.HashToUInt32(payload));
        return record;
    }

    private static StoreBatch Decode(byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        var revision = reader.ReadInt64();
        var count = reader.ReadInt32();
        var writes = new List<StoreWrite>(count);
        for (var i = 0; i < count; i++)
        {
            var collection = reader.ReadString();
            var key = reader.ReadString();
            var length = reader.ReadInt32();
            writes.Add(new StoreWrite(collection, key, length < 0 ? null : reader.ReadBytes(length)));
        }

        return new StoreBatch(revision, writes);
    }
}
