using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Storage;

/// <summary>
/// The log's durable form: entries appended to segment files in a directory beside the data file, one fsync per
/// batch. A segment is named after the first revision it holds; once the snapshot store holds every entry of a
/// segment durably, the segment is deleted.
/// </summary>
/// <remarks>
/// Record layout: <c>[int32 length][uint32 crc32][payload]</c>; payload: <c>[int64 revision][body]</c> (the body as
/// <see cref="ChangeCodec"/> writes it). A torn or corrupt tail of the last segment (a write a crash cut short,
/// never acknowledged) is cut off on open; damage anywhere else stops the start, since what follows it was acknowledged.
/// </remarks>
internal sealed class Journal : IDisposable
{
    private const int HeaderSize = 8;
    private const string Extension = ".log";
    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly List<Segment> _segments = [];
    private readonly Lock _lock = new();
    private FileStream _active = null!;
    private long _bytesSinceDrop;

    private Journal(string directory, long segmentBytes)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
    }

    /// <summary>Bytes appended since segments were last dropped: how much a restart would replay at most.</summary>
    public long PendingBytes => Interlocked.Read(ref _bytesSinceDrop);

    /// <summary>
    /// Opens the journal in <paramref name="directory"/> (creating it), and reads every entry after
    /// <paramref name="after"/>: what the snapshot store may not hold.
    /// </summary>
    public static Journal Open(string directory, long segmentBytes, long after, ChangeCodec codec, out List<LogEntry> unapplied)
    {
        Directory.CreateDirectory(directory);
        var journal = new Journal(directory, segmentBytes);
        unapplied = [];
        var files = Directory.GetFiles(directory, "*" + Extension)
            .Select(path => (Path: path, First: long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var first) ? first : -1))
            .Where(file => file.First >= 0)
            .OrderBy(file => file.First)
            .ToList();
        for (var i = 0; i < files.Count; i++)
        {
            var last = ReadSegment(files[i].Path, files[i].First, isLast: i == files.Count - 1, after, codec, unapplied);
            journal._segments.Add(new Segment(files[i].Path, files[i].First, last));
        }

        var next = Math.Max(after, journal._segments.Count > 0 ? journal._segments[^1].Last : 0) + 1;
        if (journal._segments.Count == 0)
        {
            journal._segments.Add(new Segment(journal.SegmentPath(next), next, next - 1));
        }

        journal._active = OpenForAppend(journal._segments[^1].Path);
        return journal;
    }

    /// <summary>Appends records of a batch (revisions <paramref name="first"/> to <paramref name="last"/>) and fsyncs; on failure nothing of it remains.</summary>
    public void Append(ReadOnlySpan<byte> records, long first, long last)
    {
        lock (_lock)
        {
            if (_active.Length >= _segmentBytes)
            {
                Rotate(first);
            }

            var start = _active.Position;
            try
            {
                _active.Write(records);
                _active.Flush(flushToDisk: true);
            }
            catch
            {
                TryTruncate(start);
                throw;
            }

            _segments[^1] = _segments[^1] with { Last = last };
            Interlocked.Add(ref _bytesSinceDrop, records.Length);
        }
    }

    /// <summary>Deletes the segments whose every entry is at or before <paramref name="revision"/> (never the one being written).</summary>
    public void DropThrough(long revision)
    {
        lock (_lock)
        {
            while (_segments.Count > 1 && _segments[0].Last <= revision)
            {
                File.Delete(_segments[0].Path);
                _segments.RemoveAt(0);
            }

            if (_segments.Count == 1 && _segments[0].Last <= revision && _active.Length > 0)
            {
                // Everything is in the snapshot: start the next segment now, so this one can go.
                var next = revision + 1;
                Rotate(next);
                File.Delete(_segments[0].Path);
                _segments.RemoveAt(0);
            }

            Interlocked.Exchange(ref _bytesSinceDrop, _active.Length);
        }
    }

    /// <summary>Every entry the journal holds after <paramref name="after"/>, read from disk (recovery of the snapshot store).</summary>
    public List<LogEntry> ReadAfter(long after, ChangeCodec codec)
    {
        lock (_lock)
        {
            var entries = new List<LogEntry>();
            foreach (var segment in _segments.Where(s => s.Last > after))
            {
                using var file = new FileStream(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                ReadRecords(file, (revision, body) =>
                {
                    if (revision > after)
                    {
                        entries.Add(codec.Decode(revision, body));
                    }
                });
            }

            return entries;
        }
    }

    /// <summary>Encodes one record of a batch into <paramref name="buffer"/>.</summary>
    public static void Encode(ArrayBufferWriter<byte> buffer, long revision, byte[] body)
    {
        Span<byte> header = stackalloc byte[HeaderSize + sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(header[HeaderSize..], revision);
        var crc = new Crc32();
        crc.Append(header[HeaderSize..]);
        crc.Append(body);
        BinaryPrimitives.WriteInt32LittleEndian(header, sizeof(long) + body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], crc.GetCurrentHashAsUInt32());
        buffer.Write(header);
        buffer.Write(body);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _active.Dispose();
        }
    }

    private static long ReadSegment(string path, long first, bool isLast, long after, ChangeCodec codec, List<LogEntry> unapplied)
    {
        var last = first - 1;
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var end = ReadRecords(file, (revision, body) =>
        {
            last = revision;
            if (revision > after)
            {
                unapplied.Add(codec.Decode(revision, body));
            }
        });
        if (end == file.Length)
        {
            return last;
        }

        if (!isLast)
        {
            throw new StartupException(
                $"The journal {path} is damaged at byte {end}: entries after that point were acknowledged and cannot be read. "
                + "Keep the file and restore a backup, or move the journal directory aside to start from the data file alone.");
        }

        // A write a crash cut short: it was never acknowledged.
        file.SetLength(end);
        file.Flush(flushToDisk: true);
        return last;
    }

    /// <summary>Reads intact records from the start; returns where the intact part ends.</summary>
    private static long ReadRecords(FileStream file, Action<long, ReadOnlySpan<byte>> record)
    {
        file.Position = 0;
        var header = new byte[HeaderSize];
        long end = 0;
        while (file.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) == HeaderSize)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(header);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
            if (length < sizeof(long) || length > file.Length - file.Position)
            {
                break;
            }

            var payload = new byte[length];
            file.ReadExactly(payload);
            if (Crc32.HashToUInt32(payload) != crc)
            {
                break;
            }

            record(BinaryPrimitives.ReadInt64LittleEndian(payload), payload.AsSpan(sizeof(long)));
            end = file.Position;
        }

        return end;
    }

    private void Rotate(long first)
    {
        var path = SegmentPath(first);
        var next = OpenForAppend(path);
        SyncDirectory(_directory);
        _active.Dispose();
        _active = next;
        _segments.Add(new Segment(path, first, first - 1));
    }

    private string SegmentPath(long first) =>
        Path.Combine(_directory, first.ToString("D20", CultureInfo.InvariantCulture) + Extension);

    private static FileStream OpenForAppend(string path)
    {
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        file.Position = file.Length;
        return file;
    }

    private void TryTruncate(long length)
    {
        try
        {
            _active.SetLength(length);
            _active.Position = length;
            _active.Flush(flushToDisk: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The disk refuses even this; the torn tail fails its checksum and is cut off at the next start.
            _active.Position = length;
        }
    }

    /// <summary>Makes a new segment's name durable: a file fsynced in a directory that was not may vanish in a power cut.</summary>
    private static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var fd = Native.open(directory, 0);
        if (fd >= 0)
        {
            // Best effort: a directory that cannot be synced leaves the segment as durable as the file system makes it.
            _ = Native.fsync(fd);
            _ = Native.close(fd);
        }
    }

    private sealed record Segment(string Path, long First, long Last);

    private static partial class Native
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc")]
        public static extern int close(int fd);
    }
}
