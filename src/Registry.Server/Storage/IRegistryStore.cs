namespace Registry.Server.Storage;

/// <summary>
/// The durable copy of the registry: JSON documents by key in named collections, written in atomic
/// batches. The in-memory model is built from it at start; hot paths never read it.
/// </summary>
internal interface IRegistryStore : IDisposable
{
    /// <summary>The revision of the last batch that was made durable.</summary>
    long LastRevision { get; }

    /// <summary>One document, or null.</summary>
    byte[]? Get(string collection, string key);

    /// <summary>Every document of a collection whose key starts with <paramref name="prefix"/>, in key order.</summary>
    IEnumerable<StoredDocument> Scan(string collection, string prefix = "");

    /// <summary>Every document of a collection, newest key first, read lazily.</summary>
    IEnumerable<StoredDocument> ScanDescending(string collection);

    /// <summary>Applies a batch atomically; it is durable when this returns.</summary>
    void Commit(StoreBatch batch);

    /// <summary>Writes a consistent copy of everything to a new LiteDB file at <paramref name="path"/>; the caller keeps writes out meanwhile.</summary>
    void Backup(string path);

    /// <summary>Whether a write could be made durable now (e.g. the disk has room); null when it can, else why not.</summary>
    string? Probe();
}

internal readonly record struct StoredDocument(string Key, byte[] Value);

/// <summary>
/// One document write; a null <see cref="Value"/> deletes the key. <see cref="Created"/> says the key did not
/// exist before this write, which lets a store insert instead of looking the key up first (a hint only: it
/// is not journaled, and a replay writes as if it were false).
/// </summary>
internal readonly record struct StoreWrite(string Collection, string Key, byte[]? Value, bool Created = false);

internal sealed record StoreBatch(long Revision, IReadOnlyList<StoreWrite> Writes);
