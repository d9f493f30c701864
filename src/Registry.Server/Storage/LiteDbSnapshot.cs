using System.Globalization;
using LiteDB;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Storage;

/// <summary>
/// The snapshot store of the local log: a LiteDB file holding the documents that the entries folded into it so far
/// materialize, and the revision they reach. Entries are folded in bulk, one transaction per fold, off the write
/// path; LiteDB's commit is not durable until a checkpoint, so the journal keeps every entry until one succeeds.
/// </summary>
internal sealed class LiteDbSnapshot : IDocumentReader, IDisposable
{
    private const string MetaCollection = "meta";
    private const string RevisionKey = "revision";

    /// <summary>The revision of the last snapshot of the projections held whole (the naming tree).</summary>
    private const string SnapshotKey = "snapshot";
    private const string ValueField = "v";

    /// <summary>A range of keys as a parameterized expression: LiteDB compiles each distinct text, literals included.</summary>
    private const string KeyRange = "_id >= @0 AND _id < @1";
    private readonly string? _path;
    private LiteDatabase _db;

    private LiteDbSnapshot(string? path)
    {
        _path = path;
        _db = path is null ? new LiteDatabase(new ConnectionString { Filename = ":memory:", Collation = Ordinal }) : Open(path);
        Revision = ReadMeta(_db, RevisionKey) ?? 0;
        SnapshotRevision = ReadSnapshotRevision();
    }

    /// <summary>The revision of the last entry folded in.</summary>
    public long Revision { get; private set; }

    /// <summary>
    /// The revision the projections held whole were last written at; what the log holds after it (and after
    /// <see cref="Revision"/>) is replayed at start.
    /// </summary>
    public long SnapshotRevision { get; private set; }

    /// <summary>Opens the data file (null: a store in memory, for tests).</summary>
    public static LiteDbSnapshot OpenFile(string? path) => new(path);

    public byte[]? Get(string collection, string key) =>
        _db.GetCollection(collection).FindById(key)?[ValueField].AsBinary;

    public IEnumerable<StoredDocument> Scan(string collection, string prefix = "")
    {
        var documents = _db.GetCollection(collection);
        var query = prefix.Length == 0
            ? documents.Query().OrderBy("_id")
            : documents.Query().Where(BsonExpression.Create(KeyRange, prefix, prefix + char.MaxValue)).OrderBy("_id");
        foreach (var document in query.ToEnumerable())
        {
            yield return new StoredDocument(document["_id"].AsString, document[ValueField].AsBinary);
        }
    }

    public IEnumerable<StoredDocument> ScanDescending(string collection)
    {
        foreach (var document in _db.GetCollection(collection).Query().OrderByDescending("_id").ToEnumerable())
        {
            yield return new StoredDocument(document["_id"].AsString, document[ValueField].AsBinary);
        }
    }

    /// <summary>
    /// Folds entries in, in one transaction: per key only the last write, then the revision. Keys the entries
    /// created are inserted without a lookup; should one exist after all (a wrong hint), the transaction is rolled
    /// back and written again looking every key up. Must be called from one thread at a time.
    /// </summary>
    public void Fold(IReadOnlyList<LogEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var writes = new FoldWriter();
        foreach (var entry in entries)
        {
            foreach (var change in entry.Changes)
            {
                change.Materialize(writes, entry.Revision);
            }

            AuditRecord.Materialize(writes, entry);
        }

        try
        {
            Write(writes, RevisionKey, entries[^1].Revision, trustCreated: true);
        }
        catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            Write(writes, RevisionKey, entries[^1].Revision, trustCreated: false);
        }

        Revision = entries[^1].Revision;
    }

    /// <summary>Writes a snapshot of the projections held whole, in one transaction with its revision.</summary>
    public void WriteSnapshot(SnapshotCapture capture)
    {
        var writes = new FoldWriter();
        capture.Write(writes);
        Write(writes, SnapshotKey, capture.Revision, trustCreated: false);
        SnapshotRevision = capture.Revision;
    }

    /// <summary>Makes everything folded so far durable in the data file.</summary>
    public void Checkpoint() => _db.Checkpoint();

    /// <summary>After a failed write LiteDB may hold half of it in memory: start over from its file.</summary>
    public void Reopen()
    {
        if (_path is null)
        {
            return;
        }

        try
        {
            _db.Dispose();
        }
        catch (Exception ex) when (ex is LiteException or IOException or UnauthorizedAccessException)
        {
            // Whatever it could not write is in the journal.
        }

        _db = Open(_path);
        Revision = ReadMeta(_db, RevisionKey) ?? 0;
        SnapshotRevision = ReadSnapshotRevision();
    }

    /// <summary>Folds the batches of an earlier version's journal (document writes) from the one at the data file's revision on.</summary>
    public int FoldLegacy(IReadOnlyList<LegacyBatch> batches)
    {
        // A write that took no revision of its own (a token) shares the revision of the change before it, so the
        // batch at the data file's revision is written again too; the values are the same.
        var unapplied = batches.Where(batch => batch.Revision >= Revision).ToList();
        if (unapplied.Count == 0)
        {
            return 0;
        }

        var writes = new FoldWriter();
        foreach (var (collection, key, value) in unapplied.SelectMany(batch => batch.Writes))
        {
            if (value is null)
            {
                writes.Delete(collection, key);
            }
            else
            {
                writes.Put(collection, key, value);
            }
        }

        Write(writes, RevisionKey, unapplied[^1].Revision, trustCreated: false);
        Revision = unapplied[^1].Revision;

        // Earlier versions wrote everything change by change, the naming tree too: the file holds it whole now.
        Write(new FoldWriter(), SnapshotKey, Revision, trustCreated: false);
        SnapshotRevision = Revision;
        Checkpoint();
        return unapplied.Count;
    }

    /// <summary>Writes a consistent copy of everything folded to a new LiteDB file; the caller keeps folds out meanwhile.</summary>
    public void Backup(string path)
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
        copy.GetCollection(MetaCollection).Upsert(new BsonDocument { ["_id"] = RevisionKey, [ValueField] = Revision });
        copy.Checkpoint();
    }

    /// <summary>The revision a copy of a backup records; a file that is not a Registry backup is refused.</summary>
    public static long BackupRevision(string copy, string backup)
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
    }

    /// <summary>LiteDB's own log beside a data file: <c>registry.db</c> has <c>registry-log.db</c>.</summary>
    public static string LogPath(string path) =>
        System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(path)!,
            System.IO.Path.GetFileNameWithoutExtension(path) + "-log" + System.IO.Path.GetExtension(path));

    public void Dispose() => _db.Dispose();

    /// <summary>
    /// Keys compare ordinally, as everywhere else in the server: LiteDB's default collation ignores case, so two keys
    /// that differ only in case (config items <c>App.yaml</c> and <c>app.yaml</c>) were one document, and comparing
    /// culture-aware costs twice the time of a fold. A file made with another collation is rebuilt with this one.
    /// </summary>
    private static readonly Collation Ordinal = new(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal);

    private static LiteDatabase Open(string path)
    {
        // The collation is chosen when the file is made; an existing file is opened with its own.
        var exists = new FileInfo(path) is { Exists: true, Length: > 0 };
        var db = new LiteDatabase(new ConnectionString
        {
            Filename = path, Connection = ConnectionType.Direct, Collation = exists ? null : Ordinal,
        });
        if (db.Collation.SortOptions != CompareOptions.Ordinal)
        {
            db.Rebuild(new LiteDB.Engine.RebuildOptions { Collation = Ordinal });
        }

        return db;
    }

    private static long? ReadMeta(LiteDatabase db, string key) =>
        db.GetCollection(MetaCollection).FindById(key)?[ValueField].AsInt64;

    /// <summary>
    /// A file without a snapshot holds everything change by change up to its revision (earlier versions wrote the
    /// naming tree so): that is its snapshot. Recorded at once, before any fold moves the revision on.
    /// </summary>
    private long ReadSnapshotRevision()
    {
        if (ReadMeta(_db, SnapshotKey) is { } recorded)
        {
            return recorded;
        }

        _db.GetCollection(MetaCollection).Upsert(new BsonDocument { ["_id"] = SnapshotKey, [ValueField] = Revision });
        _db.Checkpoint();
        return Revision;
    }

    private void Write(FoldWriter writes, string metaKey, long revision, bool trustCreated)
    {
        if (!_db.BeginTrans())
        {
            throw new InvalidOperationException("A store transaction is already open on the folding thread.");
        }

        try
        {
            foreach (var write in writes.Writes)
            {
                var documents = _db.GetCollection(write.Collection);
                switch (write)
                {
                    case { To: { } to }:
                        documents.DeleteMany(BsonExpression.Create(KeyRange, write.Key, to));
                        break;
                    case { Value: null }:
                        documents.Delete(write.Key);
                        break;
                    case { Created: true } when trustCreated:
                        documents.Insert(new BsonDocument { ["_id"] = write.Key, [ValueField] = write.Value });
                        break;
                    default:
                        documents.Upsert(new BsonDocument { ["_id"] = write.Key, [ValueField] = write.Value });
                        break;
                }
            }

            _db.GetCollection(MetaCollection).Upsert(new BsonDocument { ["_id"] = metaKey, [ValueField] = revision });
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
                // The caller reopens the store.
            }

            throw;
        }
    }

    /// <summary>
    /// The writes of a fold, in order, with only the last write of each key kept; a key's first write says whether
    /// it was created here (then it is not in the store yet, which holds everything before these entries).
    /// </summary>
    private sealed class FoldWriter : IDocumentWriter
    {
        private readonly List<FoldWrite?> _writes = [];
        private readonly Dictionary<(string, string), int> _last = [];

        public IEnumerable<FoldWrite> Writes => _writes.OfType<FoldWrite>();

        public void Put(string collection, string key, byte[] value, bool created = false) =>
            Set(new FoldWrite(collection, key, value, created, null));

        public void Delete(string collection, string key) => Set(new FoldWrite(collection, key, null, false, null));

        public void DeleteRange(string collection, string fromKey, string toKey) =>
            _writes.Add(new FoldWrite(collection, fromKey, null, false, toKey));

        private void Set(FoldWrite write)
        {
            if (_last.TryGetValue((write.Collection, write.Key), out var earlier))
            {
                write = write with { Created = _writes[earlier]!.Created && write.Value is not null };
                _writes[earlier] = null;
            }

            _last[(write.Collection, write.Key)] = _writes.Count;
            _writes.Add(write);
        }
    }

    /// <summary>A document write; a null value deletes; <see cref="To"/> deletes the range from the key to it.</summary>
    private sealed record FoldWrite(string Collection, string Key, byte[]? Value, bool Created, string? To);
}
