using Registry.Server.Storage;

namespace Registry.Server.Tests.Storage;

/// <summary>A store whose disk can be made to fail: commits throw while <see cref="Failing"/> is set.</summary>
internal sealed class FlakyStore(IRegistryStore inner) : IRegistryStore
{
    public volatile bool Failing;

    public long LastRevision => inner.LastRevision;

    public byte[]? Get(string collection, string key) => inner.Get(collection, key);

    public IEnumerable<StoredDocument> Scan(string collection, string prefix = "") => inner.Scan(collection, prefix);

    public IEnumerable<StoredDocument> ScanDescending(string collection) => inner.ScanDescending(collection);

    public void Commit(StoreBatch batch)
    {
        if (Failing)
        {
            throw new IOException("No space left on device");
        }

        inner.Commit(batch);
    }

    public void Backup(string path) => inner.Backup(path);

    public string? Probe() => Failing ? "No space left on device" : inner.Probe();

    public void Dispose() => inner.Dispose();
}
