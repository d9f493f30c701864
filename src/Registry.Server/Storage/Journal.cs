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

    /// <summary>How far past the last intact revision a record found after damage may be (a segment holds fewer).</summary>
    private const long MaxRevisionGap = 1 << 24;
    private const string Extension = ".log";
    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly List<Segment> _segments = [];
    private readonly Lock _lock = new();
    private FileStream _active = null!;
    private long _bytesSinceDrop;
    private long? _tornAt;

    private Journal(string directory, long segmentBytes)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
    }

    /// <summary>Bytes of a write a crash cut short, cut off the end at open.</summary>
    public long TornBytes { get; private set; }

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
        var files = SegmentFiles(directory);
        for (var i = 0; i < files.Count; i++)
        {
            var torn = 0L;
            var last = ReadSegment(files[i].Path, files[i].First, isLast: i == files.Count - 1, after, codec, unapplied, ref torn);
            journal.TornBytes += torn;
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

    /// <summary>
    /// For a journal a start refused as damaged: moves the directory aside, untouched, and puts in its place a copy of
    /// what it holds intact up to the first damage. Null when there is no damage (nothing is moved).
    /// </summary>
    public static Salvaged? Salvage(string directory, TimeProvider time)
    {
        if (!Directory.Exists(directory) || FirstDamage(SegmentFiles(directory)) is not { } damage)
        {
            return null;
        }

        var aside = $"{directory}.damaged-{time.GetUtcNow():yyyyMMddTHHmmssZ}";
        Directory.Move(directory, aside);
        Directory.CreateDirectory(directory);
        long entries = 0, last = 0;
        foreach (var (path, _) in SegmentFiles(aside))
        {
            using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            var end = ReadRecords(source, (revision, _) => (entries, last) = (entries + 1, revision));
            using (var copy = new FileStream(Path.Combine(directory, Path.GetFileName(path)), FileMode.CreateNew, FileAccess.Write))
            {
                source.Position = 0;
                CopyBytes(source, copy, end);
                copy.Flush(flushToDisk: true);
            }

            if (Path.GetFileName(path) == Path.GetFileName(damage.Path))
            {
                break;
            }
        }

        SyncDirectory(directory);
        SyncDirectory(Path.GetDirectoryName(directory)!);
        return new Salvaged(aside, damage.Path, damage.Offset, entries, last);
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

            if (_tornAt is { } torn)
            {
                // What a failed write left must go before anything follows it: an intact stale record after a new
                // one would read as damage at the next start.
                Truncate(torn);
                _tornAt = null;
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

    private static long ReadSegment(
        string path, long first, bool isLast, long after, ChangeCodec codec, List<LogEntry> unapplied, ref long tornBytes)
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

        if (IsDamage(file, end, last, isLast))
        {
            throw new StartupException(Damaged(path, end));
        }

        // A write a crash cut short: it was never acknowledged.
        tornBytes += file.Length - end;
        file.SetLength(end);
        file.Flush(flushToDisk: true);
        return last;
    }

    /// <summary>Where the first damage of a journal is, if any (a torn tail is none).</summary>
    private static (string Path, long Offset)? FirstDamage(List<(string Path, long First)> files)
    {
        for (var i = 0; i < files.Count; i++)
        {
            using var file = new FileStream(files[i].Path, FileMode.Open, FileAccess.Read, FileShare.None);
            var last = files[i].First - 1;
            var end = ReadRecords(file, (revision, _) => last = revision);
            if (end != file.Length && IsDamage(file, end, last, isLast: i == files.Count - 1))
            {
                return (files[i].Path, end);
            }
        }

        return null;
    }

    private static List<(string Path, long First)> SegmentFiles(string directory) =>
        Directory.GetFiles(directory, "*" + Extension)
            .Select(path => (Path: path, First: long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var first) ? first : -1))
            .Where(file => file.First >= 0)
            .OrderBy(file => file.First)
            .ToList();

    private static void CopyBytes(Stream source, Stream target, long count)
    {
        var buffer = new byte[81920];
        while (count > 0)
        {
            var read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (read == 0)
            {
                break;
            }

            target.Write(buffer, 0, read);
            count -= read;
        }
    }

    /// <summary>The one line a start refuses with when the journal is damaged before its tail.</summary>
    public static string Damaged(string path, long offset) =>
        $"The journal {path} is damaged at byte {offset}, before its end: entries after that point were acknowledged and cannot be read. "
        + "The file is left as it is. Restore a backup, or run 'Registry.Server salvage-journal' to move the journal aside and start "
        + "from its intact part (entries after the damage are then lost).";

    /// <summary>
    /// Whether a segment whose intact records end at <paramref name="end"/> is damaged there, rather than torn: a crash
    /// can only cut the last write of the last segment short, so anything else, or an intact record after the bad one,
    /// means what follows was acknowledged once.
    /// </summary>
    private static bool IsDamage(FileStream file, long end, long last, bool isLast) => !isLast || IntactRecordAfter(file, end, last);

    /// <summary>
    /// Whether an intact record of a later revision than <paramref name="last"/> starts anywhere after
    /// <paramref name="from"/>: checked byte by byte, since the damage may be in a length.
    /// </summary>
    private static bool IntactRecordAfter(FileStream file, long from, long last)
    {
        var rest = new byte[file.Length - from];
        file.Position = from;
        file.ReadExactly(rest);
        for (var at = 1; at + HeaderSize + sizeof(long) <= rest.Length; at++)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(rest.AsSpan(at));
            if (length < sizeof(long) || length > rest.Length - at - HeaderSize)
            {
                continue;
            }

            var payload = rest.AsSpan(at + HeaderSize, length);
            var revision = BinaryPrimitives.ReadInt64LittleEndian(payload);

            // The revision first: cheap, and random bytes almost never pass it, so the checksum runs rarely.
            if (revision > last && revision - last <= MaxRevisionGap
                && Crc32.HashToUInt32(payload) == BinaryPrimitives.ReadUInt32LittleEndian(rest.AsSpan(at + 4)))
            {
                return true;
            }
        }

        return false;
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
            Truncate(length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The disk refuses even this: the next append tries again first, and a start cuts it as a torn tail.
            _tornAt = length;
        }
    }

    private void Truncate(long length)
    {
        _active.SetLength(length);
        _active.Position = length;
        _active.Flush(flushToDisk: true);
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

    /// <summary>A salvaged journal: where the original went, where it was damaged, and what was kept.</summary>
    public sealed record Salvaged(string MovedTo, string DamagedFile, long DamagedAt, long Entries, long LastRevision);

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
