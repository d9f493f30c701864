using LiteDB;
using Microsoft.Extensions.Options;

namespace Registry.Server.Storage;

/// <summary>
/// The embedded store: a <see cref="Journal"/> makes each batch durable with one fsync, LiteDB holds the
/// materialised documents. At start the journal is replayed into LiteDB past the revision LiteDB last
/// recorded; once the journal grows large, LiteDB is checkpointed (which is durable) and the journal emptied.
/// </summary>
internal sealed partial class LiteDbStore : IRegistryStore
{
    private const string MetaCollection = "meta";
    private const string RevisionKey = "revision";
    private const string ValueField = "v";

    private readonly LiteDatabase _db;
    private readonly Journal? _journal;
    private readonly StorageOptions _options;
    private readonly ILogger<LiteDbStore> _logger;
    private long _lastRevision;

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
            var path = System.IO.Path.GetFullPath(_options.Path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            _journal = new Journal(path + ".journal");
            _db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
            Recover(path);
        }

        _lastRevision = ReadRevision();
    }

    public long LastRevision => Interlocked.Read(ref _lastRevision);

    public byte[]? Get(string collection, string key) =>
        _db.GetCollection(collection).FindById(key)?[ValueField].AsBinary;

    public IEnumerable<StoredDocument> Scan(string collection, string prefix = "")
    {
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
        foreach (var document in _db.GetCollection(collection).Query().OrderByDescending("_id").ToEnumerable())
        {
            yield return new StoredDocument(document["_id"].AsString, document[ValueField].AsBinary);
        }
    }

    public void Commit(StoreBatch batch)
    {
        if (_journal is null)
        {
            Apply(batch);
            Interlocked.Exchange(ref _lastRevision, batch.Revision);
            return;
        }

        var before = _journal.Position;
        _journal.Append(batch);
        try
        {
            Apply(batch);
        }
        catch
        {
            // Not applied, so not acknowledged: it must not come back from the journal at the next start.
            _journal.TruncateTo(before);
            throw;
        }

        Interlocked.Exchange(ref _lastRevision, batch.Revision);
        if (_journal.Length >= _options.JournalCheckpointBytes)
        {
            Checkpoint();
        }
    }

    public void Dispose()
    {
        if (_journal is not null)
        {
            try
            {
                Checkpoint();
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

    private void Recover(string path)
    {
        var applied = ReadRevision();
        var replayed = 0;
        foreach (var batch in _journal!.ReadAll())
        {
            if (batch.Revision > applied)
            {
                Apply(batch);
                replayed++;
            }
        }

        Checkpoint();
        var revision = ReadRevision();
        LogOpened(path, revision, replayed);
    }

    private void Checkpoint()
    {
        _db.Checkpoint();
        _journal?.Reset();
    }

    private void Apply(StoreBatch batch)
    {
        if (!_db.BeginTrans())
        {
            throw new InvalidOperationException("A store transaction is already open on the writer thread.");
        }

        try
        {
            foreach (var write in batch.Writes)
            {
                var documents = _db.GetCollection(write.Collection);
                if (write.Value is null)
                {
                    documents.Delete(write.Key);
                }
                else
                {
                    documents.Upsert(new BsonDocument { ["_id"] = write.Key, [ValueField] = write.Value });
                }
            }

            _db.GetCollection(MetaCollection)
                .Upsert(new BsonDocument { ["_id"] = RevisionKey, [ValueField] = batch.Revision });
            _db.Commit();
        }
        catch
        {
            _db.Rollback();
            throw;
        }
    }

    private long ReadRevision() =>
        _db.GetCollection(MetaCollection).FindById(RevisionKey)?[ValueField].AsInt64 ?? 0;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Opened store {Path} at revision {Revision}; replayed {Batches} journal batches")]
    private partial void LogOpened(string path, long revision, int batches);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "Checkpoint at shutdown failed; the journal will be replayed at the next start")]
    private partial void LogCheckpointFailed(Exception exception);
}
