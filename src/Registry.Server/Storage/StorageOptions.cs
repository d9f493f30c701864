namespace Registry.Server.Storage;

internal sealed class StorageOptions
{
    public const string Section = "Registry:Storage";

    public const string LiteDb = "litedb";

    public const string EtcdProvider = "etcd";

    /// <summary>
    /// Where the log lives: <c>litedb</c> (a journal and a LiteDB file on local disk, one node) or <c>etcd</c> (an etcd
    /// cluster that several nodes share).
    /// </summary>
    public string Provider { get; set; } = LiteDb;

    /// <summary>The etcd cluster, when <see cref="Provider"/> is <c>etcd</c>.</summary>
    public Etcd.EtcdOptions Etcd { get; set; } = new();

    public bool Clustered => string.Equals(Provider, EtcdProvider, StringComparison.OrdinalIgnoreCase);

    /// <summary>Where the LiteDB file lives; <c>:memory:</c> keeps everything in memory (tests).</summary>
    public string Path { get; set; } = "data/registry.db";

    /// <summary>
    /// Once the journal holds this many bytes that the data file does not hold durably, the data file is
    /// checkpointed and the journal's older segments are removed; also the size of one journal segment.
    /// </summary>
    public long JournalCheckpointBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>The most entries made durable together by one group commit.</summary>
    public int MaxBatchSize { get; set; } = 4096;

    /// <summary>How often the data directory is probed for writability; writes are refused while it fails.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(5);

    public bool InMemory => Path == ":memory:";

    /// <summary>The journal's directory beside the data file: <c>registry.db</c> has <c>registry.db.changes</c>.</summary>
    public static string JournalDirectory(string dataFile) => dataFile + ".changes";

    /// <summary>Held open by the running server: a second one on the same data file fails at start instead of corrupting it.</summary>
    public static string LockFile(string dataFile) => dataFile + ".lock";
}
