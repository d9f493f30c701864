namespace Registry.Server.Storage;

internal sealed class StorageOptions
{
    public const string Section = "Registry:Storage";

    /// <summary>Where the LiteDB file lives; <c>:memory:</c> keeps everything in memory (tests).</summary>
    public string Path { get; set; } = "data/registry.db";

    /// <summary>The journal is folded into the LiteDB file once it grows past this many bytes.</summary>
    public long JournalCheckpointBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>The most mutations made durable together by one group commit.</summary>
    public int MaxBatchSize { get; set; } = 4096;

    /// <summary>How often the data directory is probed for writability; writes are refused while it fails.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(5);

    public bool InMemory => Path == ":memory:";
}
