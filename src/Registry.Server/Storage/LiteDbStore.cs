using LiteDB;
using Microsoft.Extensions.Options;
using Registry.Server.Infrastructure;

namespace Registry.Server.Storage;

/// <summary>
/// The embedded store: a <see cref="Journal"/> makes each batch durable with one fsync, LiteDB holds the
/// materialised documents. Acknowledged batches are folded into LiteDB in bulk, the latest write per key in one
/// transaction, once enough have gathered, before any read of the store, and at shutdown; at start the journal
/// is replayed into LiteDB past the revision LiteDB last recorded. Once the journal grows large, LiteDB is
/// checkpointed (which is durable) and the journal emptied.
/// </summary>
/// <remarks>
/// The journal is the truth until a checkpoint succeeds, so a LiteDB failure (a full disk) costs nothing that
/// was acknowledged: the batches stay in the journal, LiteDB is reopened from its file and the journal before
/// the next batch, and a failed checkpoint just keeps the journal. Writes come from the single writer; reads
/// (start-up, history, audit, backup) take the same lock, so they see every acknowledged batch.
/// </remarks>
internal sealed partial class LiteDbStore : IRegistryStore
{
    private const string MetaCollection = "meta";
    private const string RevisionKey = "revision";
    private const string ValueField = "v";
    private const int ProbeBytes = 64 * 1024;

    /// <summary>Acknowledged writes held in the journal alone before they are folded into LiteDB.</summary>
    private const int MaterializeAfterWrites = 1024;

    private readonly Journal? _journal;
    private readonly StorageOptions _options;
    private readonly ILogger<LiteDbStore> _logger;
    private readonly string? _path;
    private readonly Lock _gate = new();
    private readonly Lock _probeGate = new();
    private readonly List<StoreBatch> _pending = [];
    private int _pendingWrites;
    private LiteDatabase _db;
    private bool _reopen;
    private long _lastRevision;
    private volatile string? _unwritable;

    public LiteDbStore(IOptions<StorageOptions> options, ILogger<LiteDbStore> logger)
    {
        _options = options.Value;
        _logger = logger;
        if (_options.InMemory)
        {
            _db = new LiteDatabase(":memory:");
        }
        else
        {
            _path = System.IO.Path.GetFullPath(_options.Path);
            try
            {
                CreateDataDirectory(System.IO.Path.GetDirectoryName(_path)!);
                _journal = new Journal(_path + ".journal");
                _db = Open(_path);
                Recover();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _journal?.Dispose();
                throw new StartupException(
                    $"The data file {_path} cannot be opened for writing: {ex.Message} The server needs to read and write "
                    + "it, its journal and new files beside them; no other server may be using them.", ex);
            }
        }

        _lastRevision = ReadRevision();
    }

    public long LastRevision => Interlocked.Read(ref _lastRevision);

    public byte[]? Get(string collection, string key)
    {
        Materialize();
        return _db.GetCollection(collection).FindById(key)?[ValueField].AsBinary;
    }

    public IEnumerable<StoredDocument> Scan(string collection, string prefix = "")
    {
        Materialize();
        var documents = _db.GetCollection(collection);
        var query = prefix.Length == 0
            ? documents.Query().OrderBy("_id")
            : documents.Query().Where(Query.StartsWith("_id", prefix)).OrderBy("_id");
        foreach (var document in query.ToEnumerable())
        {
            yield return new StoredDocument(document["_id"].AsString, document[ValueField].AsBinary);
        }
    }

    public IEnumerable<StoredDocument> ScanDescending(string collection)
    {
        Materialize();
        foreach (var document in _db.GetCollection(collection).Query().OrderByDescending("_id").ToEnumerable())
        {
            yield return new StoredDocument(document["_id"].AsString, document[ValueField].AsBinary);
        }
    }

    public void Commit(StoreBatch batch)
    {
        if (_journal is null)
        {
            Apply([batch]);
            Interlocked.Exchange(ref _lastRevision, batch.Revision);
            return;
        }

        // A directory that stopped taking new files can still take appends to open ones, but not LiteDB's
        // fold-in: refuse writes until a probe succeeds again, rather than fail them halfway later.
        if (_unwritable is not null && Probe() is { } problem)
        {
            throw new StoreUnavailableException($"The data directory cannot take writes: {problem}");
        }

        lock (_gate)
        {
            if (_reopen)
            {
                Reopen();
            }

            // Durable once appended; LiteDB catches up later.
            _journal.Append(batch);
            _pending.Add(batch);
            _pendingWrites += batch.Writes.Count;
            Interlocked.Exchange(ref _lastRevision, batch.Revision);

            var checkpoint = _journal.Length >= _options.JournalCheckpointBytes;
            if (_pendingWrites < MaterializeAfterWrites && !checkpoint)
            {
                return;
            }

            try
            {
                ApplyPending();
                if (checkpoint)
                {
                    Checkpoint();
                }
            }
            catch (Exception ex) when (ex is LiteException or IOException or UnauthorizedAccessException)
            {
                // The batches are durable in the journal; they stay there until LiteDB takes them.
                LogCheckpointFailed(ex);
                _reopen = true;
            }
        }
    }

    public void Backup(string path)
    {
        Materialize();
        try
        {
            using var copy = Open(path);
            foreach (var name in _db.GetCollectionNames())
            {
                var target = copy.GetCollection(name);
                foreach (var chunk in _db.GetCollection(name).FindAll().Chunk(1000))
                {
                    target.Insert(chunk);
                }
            }

            // Even a backup of an empty registry says how far it goes: it is what marks the file as a backup.
            copy.GetCollection(MetaCollection).Upsert(new BsonDocument { ["_id"] = RevisionKey, [ValueField] = LastRevision });
            copy.Checkpoint();
        }
        catch (Exception ex) when (ex is LiteException or IOException or UnauthorizedAccessException)
        {
            throw new StoreUnavailableException("The backup could not be written: the disk refuses it. Retry once it has room.", ex);
        }
    }

    public string? Probe()
    {
        if (_path is null)
        {
            return null;
        }

        lock (_probeGate)
        {
            var problem = WriteProbeFile(_path + ".probe");
            var previous = _unwritable;
            _unwritable = problem;
            if (problem is not null && previous is null)
            {
                LogUnwritable(_path, problem);
            }
            else if (problem is null && previous is not null)
            {
                LogWritableAgain(_path);
            }

            return problem;
        }
    }

    public void Dispose()
    {
        if (_journal is not null)
        {
            try
            {
                lock (_gate)
                {
                    if (_reopen)
                    {
                        Reopen();
                    }

                    ApplyPending();
                    Checkpoint();
                }
            }
            catch (Exception ex) when (ex is IOException or LiteException or UnauthorizedAccessException)
            {
                // The journal still holds everything; it is replayed at the next start.
                LogCheckpointFailed(ex);
            }

            _journal.Dispose();
        }

        _db.Dispose();
    }

    /// <summary>
    /// Replaces the data file at <paramref name="path"/> with a backup, for a server that is stopped: its
    /// journal and LiteDB's log go too, so nothing written after the backup is replayed onto it. Returns the
    /// backup's revision.
    /// </summary>
    public static long Restore(string backup, string path)
    {
        path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(backup))
        {
            throw new StartupException($"{backup} does not exist.");
        }

        var journalPath = path + ".journal";
        var staged = path + ".restoring";
        try
        {
            CreateDataDirectory(System.IO.Path.GetDirectoryName(path)!);

            // The journal's lock is the server's: holding it proves none runs on this data file.
            long revision;
            using (var journal = new FileStream(journalPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
            {
                // Checked on the copy: LiteDB writes even to a file it opens read-only, and the backup stays as it was.
                File.Copy(backup, staged, overwrite: true);
                revision = BackupRevision(staged, backup);

                // Whatever the old file's journal and log hold is newer than the backup: remove it first.
                File.Delete(LogPath(path));
                journal.SetLength(0);
                journal.Flush(flushToDisk: true);
                File.Move(staged, path, overwrite: true);
            }

            File.Delete(journalPath);
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

    /// <summary>The revision a copy of a backup records; a file that is not a Registry backup is refused.</summary>
    private static long BackupRevision(string copy, string backup)
    {
        try
        {
            using var source = Open(copy);
            return source.GetCollection(MetaCollection).FindById(RevisionKey)?[ValueField].AsInt64
                ?? throw new StartupException($"{backup} is not a Registry backup: it records no revision.");
        }
        catch (Exception ex) when (ex is not StartupException)
        {
            // Whatever LiteDB makes of a file that is not one of its own (random bytes throw all sorts).
            throw new StartupException($"{backup} cannot be read as a Registry backup: {ex.Message}", ex);
        }
        finally
        {
            TryDelete(LogPath(copy));
        }
    }

    /// <summary>
    /// The data holds config (which may carry credentials) and token hashes: a directory the server creates is
    /// its user's alone. One that exists is left as the operator made it.
    /// </summary>
    private static void CreateDataDirectory(string directory)
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

    /// <summary>LiteDB's own log beside a data file: <c>registry.db</c> has <c>registry-log.db</c>.</summary>
    private static string LogPath(string path) =>
        System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(path)!,
            System.IO.Path.GetFileNameWithoutExtension(path) + "-log" + System.IO.Path.GetExtension(path));

    private static LiteDatabase Open(string path) =>
        new(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });

    /// <summary>Replays what the journal holds beyond LiteDB's revision, then folds it in.</summary>
    private void Recover()
    {
        var replay = Unapplied();
        Apply(replay);
        Checkpoint();
        var revision = ReadRevision();
        LogOpened(_path!, revision, replay.Count);
    }

    /// <summary>After a failed write, LiteDB may hold half of it in memory: start over from its file and the journal.</summary>
    private void Reopen()
    {
        try
        {
            _db.Dispose();
        }
        catch (Exception ex) when (ex is LiteException or IOException or UnauthorizedAccessException)
        {
            LogCheckpointFailed(ex);
        }

        _db = Open(_path!);
        Apply(Unapplied());
        _pending.Clear();
        _pendingWrites = 0;
        _reopen = false;
        LogReopened(_path!, ReadRevision());
    }

    /// <summary>
    /// The journal's batches LiteDB may not hold yet: from the one at LiteDB's revision on. A write that takes no
    /// revision of its own (a token, an audit entry) has the revision of the change before it, so the batches at
    /// LiteDB's revision are replayed too; one LiteDB holds already just writes the same values again.
    /// </summary>
    private List<StoreBatch> Unapplied()
    {
        var applied = ReadRevision();
        return [.. _journal!.ReadAll().Where(batch => batch.Revision >= applied)];
    }

    private void Checkpoint()
    {
        _db.Checkpoint();
        _journal?.Reset();
    }

    /// <summary>Brings LiteDB up to every acknowledged batch before it is read; a disk that refuses makes the read unavailable.</summary>
    private void Materialize()
    {
        if (_journal is null)
        {
            return;
        }

        lock (_gate)
        {
            try
            {
                if (_reopen)
                {
                    Reopen();
                }
                else if (_pending.Count > 0)
                {
                    ApplyPending();
                }
            }
            catch (Exception ex) when (ex is LiteException or IOException or UnauthorizedAccessException)
            {
                _reopen = true;
                LogCheckpointFailed(ex);
                throw new StoreUnavailableException(
                    "The data file cannot be read now (the disk refuses writes the read needs first); the current state is "
                    + "still served from memory. Retry later.", ex);
            }
        }
    }

    private void ApplyPending()
    {
        Apply(_pending);
        _pending.Clear();
        _pendingWrites = 0;
    }

    /// <summary>
    /// Writes the batches into LiteDB in one transaction: per key only the last write, then the revision. Keys
    /// the batches created are inserted without a lookup; should one exist after all (a wrong hint), the
    /// transaction is rolled back and written again looking every key up.
    /// </summary>
    private void Apply(List<StoreBatch> batches)
    {
        try
        {
            Apply(batches, trustCreated: true);
        }
        catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            Apply(batches, trustCreated: false);
        }
    }

    private void Apply(List<StoreBatch> batches, bool trustCreated)
    {
        if (batches.Count == 0)
        {
            return;
        }

        // Per key, the last value, and whether the key's first write here created it: then it is not in LiteDB
        // (which holds everything before these batches), and a final value is inserted without a lookup.
        var latest = new Dictionary<(string Collection, string Key), (byte[]? Value, bool New)>();
        foreach (var batch in batches)
        {
            foreach (var write in batch.Writes)
            {
                var key = (write.Collection, write.Key);
                latest[key] = (write.Value, latest.TryGetValue(key, out var earlier) ? earlier.New : trustCreated && write.Created);
            }
        }

        if (!_db.BeginTrans())
        {
            throw new InvalidOperationException("A store transaction is already open on the writer thread.");
        }

        try
        {
            foreach (var collection in latest.GroupBy(static write => write.Key.Collection, StringComparer.Ordinal))
            {
                var documents = _db.GetCollection(collection.Key);
                foreach (var ((_, key), (value, created)) in collection)
                {
                    if (value is null)
                    {
                        if (!created)
                        {
                            documents.Delete(key);
                        }
                    }
                    else if (created)
                    {
                        documents.Insert(new BsonDocument { ["_id"] = key, [ValueField] = value });
                    }
                    else
                    {
                        documents.Upsert(new BsonDocument { ["_id"] = key, [ValueField] = value });
                    }
                }
            }

            _db.GetCollection(MetaCollection)
                .Upsert(new BsonDocument { ["_id"] = RevisionKey, [ValueField] = batches[^1].Revision });
            _db.Commit();
        }
        catch
        {
            try
            {
                _db.Rollback();
            }
            catch (Exception ex) when (ex is LiteException or IOException or UnauthorizedAccessException)
            {
                LogCheckpointFailed(ex);
            }

            throw;
        }
    }

    private long ReadRevision() =>
        _db.GetCollection(MetaCollection).FindById(RevisionKey)?[ValueField].AsInt64 ?? 0;

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

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Opened store {Path} at revision {Revision}; replayed {Batches} journal batches")]
    private partial void LogOpened(string path, long revision, int batches);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "A LiteDB checkpoint failed; the journal keeps every batch until one succeeds")]
    private partial void LogCheckpointFailed(Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Reopened store {Path} at revision {Revision} after a failed write")]
    private partial void LogReopened(string path, long revision);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error,
        Message = "The data directory of {Path} cannot take writes ({Problem}); writes are refused until it can")]
    private partial void LogUnwritable(string path, string problem);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "The data directory of {Path} takes writes again")]
    private partial void LogWritableAgain(string path);
}
