using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Storage;

/// <summary>
/// The change log of one server: a journal on local disk with group commit, and a LiteDB snapshot the journal is
/// folded into off the write path.
/// </summary>
/// <remarks>
/// <para>
/// Writes flow one way. Request threads decide and encode their proposals; appending checks each one's preconditions
/// against every key written after its read point (applied or still on its way to disk), gives it the next revision
/// and adds it to the batch being formed, all under one short lock. One sync loop at a time makes formed batches
/// durable (one fsync each) while the next one forms, and stops when there is none. A durable batch is applied to the
/// projections, then acknowledged, then handed to the folder, which writes it into LiteDB and, once the journal has
/// grown, checkpoints LiteDB and drops old journal segments.
/// </para>
/// <para>
/// Nothing reaches memory before it is durable, so a failed fsync fails its batch and every batch formed on top
/// of it, and nothing else: memory never held them.
/// </para>
/// </remarks>
internal sealed partial class LocalLog : IChangeLog, IAsyncDisposable
{
    /// <summary>Keys remembered with the revision that last wrote them, for precondition checks.</summary>
    private const int RememberedKeys = 1 << 16;

    private const int ProbeBytes = 64 * 1024;

    private readonly StorageOptions _options;
    private readonly ChangeCodec _codec;
    private readonly StoreMetrics _metrics;
    private readonly IDiskFaults _faults;
    private readonly ILogger<LocalLog> _logger;
    private readonly string? _path;
    private readonly Lock _probeGate = new();
    private readonly Journal? _journal;
    private readonly string _backups;
    private readonly FileStream? _lock;
    private ILogSink _sink = null!;
    private List<LogEntry> _unapplied;

    // Under the gate: the batch being formed (and full ones waiting for the disk), whether a sync loop runs, the
    // revisions taken, the keys written recently (by hash: two keys that share one only make a decision be made
    // again) and by which revision.
    private readonly Lock _gate = new();
    private readonly Queue<Batch> _full = new();
    private readonly ConcurrentBag<ArrayBufferWriter<byte>> _buffers = [];
    private Batch _forming;
    private bool _syncing;
    private bool _closed;
    private Task _writer = Task.CompletedTask;
    private readonly Dictionary<ulong, long> _written = [];
    private readonly Queue<(long Revision, ulong Key)> _writtenOrder = new();
    private readonly ConcurrentDictionary<string, PendingChange> _pending = new(StringComparer.Ordinal);
    private long _assigned;
    private long _forgottenThrough;

    private long _applied;
    private long _epoch;
    private int _disposed;
    private TaskCompletionSource _progress = NewSignal();
    private volatile bool _lastWriteFailed;
    private volatile string? _unwritable;

    /// <summary>Opens the data file and its journal, so a server that cannot use them fails before it starts.</summary>
    public LocalLog(
        IOptions<StorageOptions> options, ChangeCodec codec, StoreMetrics metrics, IDiskFaults faults, TimeProvider time,
        ILogger<LocalLog> logger)
    {
        _options = options.Value;
        _codec = codec;
        _metrics = metrics;
        _faults = faults;
        _logger = logger;
        _path = _options.InMemory ? null : Path.GetFullPath(_options.Path);
        _forming = new Batch(_buffers);
        Folder = new SnapshotFolder(this, time);
        try
        {
            if (_path is null)
            {
                Folder.Open(LiteDbSnapshot.OpenFile(null));
                _backups = Directory.CreateTempSubdirectory("registry-backups-").FullName;
                _unapplied = [];
            }
            else
            {
                CreatePrivateDirectory(Path.GetDirectoryName(_path)!);
                _lock = new FileStream(StorageOptions.LockFile(_path), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                var snapshot = LiteDbSnapshot.OpenFile(_path);
                FoldLegacyJournal(snapshot);
                Folder.Open(snapshot);
                _backups = Path.Combine(Path.GetDirectoryName(_path)!, ".backups");
                ClearBackups();
                _journal = Journal.Open(
                    StorageOptions.JournalDirectory(_path), _options.JournalCheckpointBytes, Folder.ReplayFrom, _codec, out _unapplied);
            }
        }
        catch (StartupException)
        {
            _lock?.Dispose();
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _lock?.Dispose();
            throw new StartupException(
                $"The data file {_path} cannot be opened for writing: {ex.Message} The server needs to read and write "
                + "it, its journal and new files beside them; no other server may be using them.", ex);
        }
    }

    public long Revision => Interlocked.Read(ref _applied);

    public ReadPoint ReadPoint => new(Interlocked.Read(ref _applied), Interlocked.Read(ref _epoch));

    public LogHealth Health => new(_unwritable is null, _unwritable, Revision, _lastWriteFailed);

    private SnapshotFolder Folder { get; }

    public Task OpenAsync(ILogSink sink, CancellationToken cancellationToken)
    {
        _sink = sink;
        var started = Stopwatch.GetTimestamp();
        var loaded = Folder.ReplayFrom;
        sink.Load(Folder.Snapshot, loaded);
        foreach (var chunk in _unapplied.Chunk(1024))
        {
            Folder.Enqueue(chunk);
            sink.Apply(chunk);
        }

        _applied = _assigned = _forgottenThrough = _unapplied.Count > 0 ? _unapplied[^1].Revision : loaded;
        var replayed = _unapplied.Count;
        _unapplied = [];
        Folder.Start();
        var elapsed = Stopwatch.GetElapsedTime(started);
        LogOpened(_path ?? ":memory:", _applied, replayed, elapsed.TotalMilliseconds);
        if (_journal?.TornBytes > 0)
        {
            LogTornTail(_journal.TornBytes, StorageOptions.JournalDirectory(_path!));
        }

        return Task.CompletedTask;
    }

    public Task<Appended> AppendAsync(Proposal proposal, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Queued(proposal, _codec.Encode(proposal.Changes, proposal.Audit));
        long? conflict;
        lock (_gate)
        {
            if (_closed)
            {
                throw new StoreUnavailableException("The registry is shutting down; the change was not applied.");
            }

            conflict = Conflict(proposal);
            if (conflict is null)
            {
                Take(pending);
                if (!_syncing)
                {
                    _syncing = true;
                    _writer = Task.Run(SyncLoop, CancellationToken.None);
                }
            }
        }

        proposal.Accepted();
        return conflict is { } revision ? Task.FromResult(new Appended(0, revision)) : pending.Completion.Task;
    }

    public PendingChange? Pending(string key) => _pending.GetValueOrDefault(key);

    public async Task WaitForAsync(long revision, CancellationToken cancellationToken)
    {
        var epoch = Interlocked.Read(ref _epoch);
        while (true)
        {
            var progress = Volatile.Read(ref _progress);
            if (Interlocked.Read(ref _applied) >= revision || Interlocked.Read(ref _epoch) != epoch)
            {
                return;
            }

            await progress.Task.WaitAsync(cancellationToken);
        }
    }

    public async Task<IDocumentReader> ReadStoreAsync(CancellationToken cancellationToken)
    {
        await Folder.CatchUpAsync(Revision, cancellationToken);
        return Folder.Snapshot;
    }

    public async Task<Backup> BackupAsync(CancellationToken cancellationToken)
    {
        CreatePrivateDirectory(_backups);
        var path = Path.Combine(_backups, $"backup-{Guid.NewGuid():N}.db");
        try
        {
            var revision = await Task.Run(() => Folder.Backup(path), cancellationToken);
            return new Backup(path, revision, new FileInfo(path).Length);
        }
        catch (Exception ex) when (ex is LiteDB.LiteException or IOException or UnauthorizedAccessException)
        {
            TryDelete(path);
            throw new StoreUnavailableException("The backup could not be written: the disk refuses it. Retry once it has room.", ex);
        }
    }

    public string? Probe()
    {
        lock (_probeGate)
        {
            var problem = _faults.Fault ?? (_path is null ? null : WriteProbeFile(_path + ".probe"));
            var previous = _unwritable;
            _unwritable = problem;
            if (problem is not null && previous is null)
            {
                LogUnwritable(_path ?? ":memory:", problem);
            }
            else if (problem is null && previous is not null)
            {
                LogWritableAgain(_path ?? ":memory:");
            }

            if (problem is null)
            {
                // Room again: a fold that failed for want of it can go on.
                Folder.Retry();
            }

            return problem;
        }
    }

    /// <summary>Acknowledges what is queued, folds everything into the data file and closes it, so the next start replays nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        // The container disposes it once as itself and once as the log it also is.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Task writer;
        lock (_gate)
        {
            _closed = true;
            writer = _writer;
        }

        await writer;
        await Folder.StopAsync();
        _journal?.Dispose();
        _lock?.Dispose();
        if (_path is null && _backups.Length > 0)
        {
            TryDeleteDirectory(_backups);
        }
    }

    /// <summary>
    /// Replaces the data file at <paramref name="path"/> with a backup, for a server that is stopped: its journal and
    /// LiteDB's log go too, so nothing written after the backup is replayed onto it. Returns the backup's revision.
    /// </summary>
    public static long Restore(string backup, string path)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(backup))
        {
            throw new StartupException($"{backup} does not exist.");
        }

        var staged = path + ".restoring";
        try
        {
            CreatePrivateDirectory(Path.GetDirectoryName(path)!);

            // The lock is the server's: holding it proves none runs on this data file.
            long revision;
            using (new FileStream(StorageOptions.LockFile(path), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
            {
                // Checked on the copy: LiteDB writes even to a file it opens read-only, and the backup stays as it was.
                File.Copy(backup, staged, overwrite: true);
                try
                {
                    revision = LiteDbSnapshot.BackupRevision(staged, backup);
                }
                finally
                {
                    TryDelete(LiteDbSnapshot.LogPath(staged));
                }

                // Whatever the old file's journal and log hold is newer than the backup: remove it first.
                File.Delete(LiteDbSnapshot.LogPath(path));
                File.Delete(LegacyJournal.PathOf(path));
                if (Directory.Exists(StorageOptions.JournalDirectory(path)))
                {
                    Directory.Delete(StorageOptions.JournalDirectory(path), recursive: true);
                }

                File.Move(staged, path, overwrite: true);
            }

            return revision;
        }
        catch (StartupException)
        {
            TryDelete(staged);
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(staged);
            throw new StartupException(
                $"The backup cannot be restored into {path}: {ex.Message} Stop the server that uses it, and check that this user may write there.", ex);
        }
    }

    /// <summary>
    /// For a server that refused to start on a damaged journal, and is stopped: moves the journal aside, untouched,
    /// and keeps its intact part up to the damage, so the server starts from it. Null when there is no damage.
    /// </summary>
    public static Journal.Salvaged? SalvageJournal(string path, TimeProvider time)
    {
        path = Path.GetFullPath(path);
        try
        {
            // The lock is the server's: holding it proves none runs on this data file.
            using var _ = new FileStream(StorageOptions.LockFile(path), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return Journal.Salvage(StorageOptions.JournalDirectory(path), time);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException(
                $"The journal of {path} cannot be salvaged: {ex.Message} Stop the server that uses it, and check that this user may write there.", ex);
        }
    }

    /// <summary>
    /// Makes formed batches durable one after another, applying and acknowledging each, until none is left; runs while
    /// there is work and is started again by the next append.
    /// </summary>
    private void SyncLoop()
    {
        while (true)
        {
            Batch ready;
            lock (_gate)
            {
                if (!_full.TryDequeue(out ready!))
                {
                    if (_forming.Count == 0)
                    {
                        _syncing = false;
                        return;
                    }

                    ready = _forming;
                    _forming = new Batch(_buffers);
                }
            }

            var synced = Sync(ready);
            ready.Recycle(_buffers);
            if (!synced)
            {
                // Everything formed after the failed batch assumed it: refuse it too, and forget what it wrote.
                lock (_gate)
                {
                    Forget([.. _full, _forming]);
                    _full.Clear();
                    _forming = new Batch(_buffers);
                }
            }
        }
    }

    /// <summary>Numbers an accepted proposal and adds it to the batch being formed, under the gate.</summary>
    private void Take(Queued pending)
    {
        pending.Revision = ++_assigned;
        var changes = pending.Proposal.Changes;
        var keys = pending.Proposal.WrittenKeys;
        for (var i = 0; i < changes.Count; i++)
        {
            if (keys[i] is { } key)
            {
                Remember(key, pending.Revision);
                _pending[key] = new PendingChange(pending.Revision, changes[i]);
            }

            foreach (var scope in changes[i].Scopes())
            {
                Remember(scope, pending.Revision);
            }
        }

        if (_forming.Count >= _options.MaxBatchSize)
        {
            _full.Enqueue(_forming);
            _forming = new Batch(_buffers);
        }

        _forming.Add(pending);
    }

    /// <summary>The revision that changed something the proposal read or writes after its read point; null when none did.</summary>
    private long? Conflict(Proposal proposal)
    {
        var at = proposal.At;
        if (at.Epoch != Interlocked.Read(ref _epoch) || at.Revision < _forgottenThrough)
        {
            return _assigned;
        }

        foreach (var (key, revision) in proposal.Reads)
        {
            if (_written.TryGetValue(Hash(key), out var written) && written > revision)
            {
                return written;
            }
        }

        var keys = proposal.WrittenKeys;
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i] is { } key && _written.TryGetValue(Hash(key), out var written) && written > proposal.ReadRevision(key))
            {
                return written;
            }
        }

        return null;
    }

    private static ulong Hash(string key) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(key.AsSpan()));

    private void Remember(string key, long revision)
    {
        var hash = Hash(key);
        _written[hash] = revision;
        _writtenOrder.Enqueue((revision, hash));
        while (_writtenOrder.Count > RememberedKeys)
        {
            var (oldest, oldKey) = _writtenOrder.Dequeue();
            if (_written.TryGetValue(oldKey, out var latest) && latest == oldest)
            {
                _written.Remove(oldKey);
            }

            // A decision from before this point can no longer be checked: it is made again.
            _forgottenThrough = Math.Max(_forgottenThrough, oldest);
        }
    }

    /// <summary>
    /// After a failed batch, under the gate: its revisions and those of the batches <paramref name="formed"/> on top
    /// of it are given again; what they wrote never happened.
    /// </summary>
    private void Forget(IEnumerable<Batch> formed)
    {
        var durable = Interlocked.Read(ref _applied);
        foreach (var batch in formed)
        {
            Answer(batch.Items, new StoreUnavailableException(
                "The change could not be made durable and was not applied. Reads keep working; retry the write later."));
        }

        foreach (var key in _written.Where(pair => pair.Value > durable).Select(pair => pair.Key).ToList())
        {
            _written.Remove(key);
        }

        foreach (var (key, change) in _pending.Where(pair => pair.Value.Revision > durable).ToList())
        {
            _pending.TryRemove(KeyValuePair.Create(key, change));
        }

        _forgottenThrough = Math.Max(_forgottenThrough, durable);
        _assigned = durable;

        // Decisions made before this point may rest on what failed (or on what was pending on top of it): they are
        // made again. The epoch moves only once nothing of it can be read any more.
        Interlocked.Increment(ref _epoch);
        Signal();
    }

    /// <summary>Makes a batch durable, applies it and acknowledges it; false when the disk refused it.</summary>
    private bool Sync(Batch batch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            _faults.WaitUntilAnswering();

            // A directory that stopped taking new files can still take appends to open ones, but not the fold into the
            // data file nor a new journal segment: refuse writes until a probe succeeds again.
            if ((_unwritable is not null || _faults.Fault is not null) && Probe() is { } problem)
            {
                throw new IOException($"The data directory cannot take writes: {problem}");
            }

            _journal?.Append(batch.Records, batch.First, batch.Last);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _metrics.CommitFailures.Inc();

            // The first failure with its stack trace; while the disk stays down, one line per batch.
            if (!_lastWriteFailed)
            {
                LogCommitFailed(ex, batch.Count);
            }
            else
            {
                LogCommitStillFailing(batch.Count, ex.Message);
            }

            _lastWriteFailed = true;

            // Until a probe finds room again, writes are refused before they reach the disk (a smaller one that
            // still fits would otherwise slip through between failures).
            Probe();
            Answer(batch.Items, new StoreUnavailableException(
                "The change could not be made durable and was not applied. Reads keep working; retry the write later.", ex));
            return false;
        }

        _metrics.Commits.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        _metrics.CommitWrites.Observe(batch.Count);
        if (_lastWriteFailed)
        {
            LogCommitsRecovered(batch.Last);
            _lastWriteFailed = false;
        }

        // The folder takes the entries first: a checkpoint then finds every applied entry in its queue.
        var entries = batch.Entries();
        Folder.Enqueue(entries);
        _sink.Apply(entries);
        Interlocked.Exchange(ref _applied, batch.Last);
        Forget(batch.Items);
        Signal();
        Answer(batch.Items, failure: null);
        return true;
    }

    /// <summary>
    /// Answers the appends of a batch in one work item off the sync loop (which goes on to the next batch): each
    /// append's continuation runs there, one after another, instead of waking a thread each.
    /// </summary>
    private static void Answer(IReadOnlyList<Queued> items, Exception? failure) =>
        ThreadPool.UnsafeQueueUserWorkItem(
            static answer =>
            {
                foreach (var pending in answer.Items)
                {
                    if (answer.Failure is { } failure)
                    {
                        pending.Completion.TrySetException(failure);
                    }
                    else
                    {
                        pending.Completion.TrySetResult(new Appended(pending.Revision));
                    }
                }
            },
            (Items: items, Failure: failure),
            preferLocal: false);

    private void Signal() => Interlocked.Exchange(ref _progress, NewSignal()).TrySetResult();

    /// <summary>Applied: what the batch wrote is no longer pending (unless a later entry wrote the key again).</summary>
    private void Forget(IReadOnlyList<Queued> applied)
    {
        foreach (var entry in applied)
        {
            foreach (var key in entry.Proposal.WrittenKeys)
            {
                if (key is not null && _pending.TryGetValue(key, out var pending) && pending.Revision == entry.Revision)
                {
                    _pending.TryRemove(KeyValuePair.Create(key, pending));
                }
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>An earlier version's journal holds acknowledged writes after a crash: fold them in before anything else.</summary>
    private void FoldLegacyJournal(LiteDbSnapshot snapshot)
    {
        var legacy = LegacyJournal.PathOf(_path!);
        if (!File.Exists(legacy))
        {
            return;
        }

        var folded = snapshot.FoldLegacy(LegacyJournal.Read(legacy));
        File.Delete(legacy);
        LogLegacyJournal(legacy, folded);
    }

    private void ClearBackups()
    {
        // Backups being written when the server stopped: never sent, so never needed.
        if (Directory.Exists(_backups))
        {
            foreach (var file in Directory.EnumerateFiles(_backups))
            {
                TryDelete(file);
            }
        }
    }

    /// <summary>
    /// The data holds config (which may carry credentials) and token hashes: a directory the server creates is its
    /// user's alone. One that exists is left as the operator made it.
    /// </summary>
    private static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Writes and fsyncs a small file beside the data file; null when that worked, else why not.</summary>
    private static string? WriteProbeFile(string probe)
    {
        try
        {
            using (var file = new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                file.Write(new byte[ProbeBytes]);
                file.Flush(flushToDisk: true);
            }

            File.Delete(probe);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(probe);
            return ex.Message;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The disk is in trouble already; a leftover file is harmless.
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary directory is harmless.
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Opened store {Path} at revision {Revision}; replayed {Entries} journal entries in {ElapsedMs:F0} ms")]
    private partial void LogOpened(string path, long revision, int entries, double elapsedMs);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Warning,
        Message = "Cut {Bytes} bytes off the end of the journal in {Directory}: a write a crash cut short, never acknowledged")]
    private partial void LogTornTail(long bytes, string directory);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning,
        Message = "Folded {Batches} batches of the earlier journal {Path} into the data file and removed it")]
    private partial void LogLegacyJournal(string path, int batches);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error,
        Message = "The data directory of {Path} cannot take writes ({Problem}); writes are refused until it can")]
    private partial void LogUnwritable(string path, string problem);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "The data directory of {Path} takes writes again")]
    private partial void LogWritableAgain(string path);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error,
        Message = "Store commit failed; {Count} writes were refused")]
    private partial void LogCommitFailed(Exception exception, int count);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning,
        Message = "Store commit failed again; {Count} writes were refused: {Reason}")]
    private partial void LogCommitStillFailing(int count, string reason);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "Store commits succeed again, at revision {Revision}")]
    private partial void LogCommitsRecovered(long revision);

    /// <summary>A proposal on its way through the writer.</summary>
    private sealed class Queued(Proposal proposal, byte[] body)
    {
        public Proposal Proposal { get; } = proposal;

        public byte[] Body { get; } = body;

        /// <summary>Completed only by <see cref="Answer"/>, on a thread pool thread of its own: continuations run inline there.</summary>
        public TaskCompletionSource<Appended> Completion { get; } = new();

        public long Revision { get; set; }
    }

    /// <summary>The proposals of one group commit, numbered, with their journal records (in a buffer batches reuse).</summary>
    private sealed class Batch(ConcurrentBag<ArrayBufferWriter<byte>> buffers)
    {
        private const int RecycledBytes = 4 * 1024 * 1024;
        private readonly List<Queued> _items = [];
        private readonly ArrayBufferWriter<byte> _records = buffers.TryTake(out var buffer) ? buffer : new ArrayBufferWriter<byte>(64 * 1024);

        public int Count => _items.Count;

        public IReadOnlyList<Queued> Items => _items;

        public long First => _items[0].Revision;

        public long Last => _items[^1].Revision;

        public ReadOnlySpan<byte> Records => _records.WrittenSpan;

        public void Add(Queued pending)
        {
            _items.Add(pending);
            Journal.Encode(_records, pending.Revision, pending.Body);
        }

        /// <summary>Made durable (or refused): its buffer serves a later batch, unless it grew huge.</summary>
        public void Recycle(ConcurrentBag<ArrayBufferWriter<byte>> pool)
        {
            if (_records.Capacity <= RecycledBytes)
            {
                _records.ResetWrittenCount();
                pool.Add(_records);
            }
        }

        public LogEntry[] Entries() =>
            [.. _items.Select(static p => new LogEntry(p.Revision, p.Proposal.Changes, p.Proposal.Audit))];
    }
}
