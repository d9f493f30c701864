using System.Text;
using Registry.Server.Storage;

namespace Registry.Server.Tests.Storage;

/// <summary>What every <see cref="IRegistryStore"/> must do; each implementation runs these tests.</summary>
public abstract class RegistryStoreContract
{
    private protected abstract IRegistryStore Open();

    [Fact]
    public void Commit_Documents_AreReadBackInKeyOrder()
    {
        using var store = Open();

        store.Commit(Batch(1, ("c", "b/2", "two"), ("c", "a/1", "one"), ("other", "a/1", "elsewhere")));

        Assert.Equal([("a/1", "one"), ("b/2", "two")], Read(store, "c"));
        Assert.Equal(1, store.LastRevision);
    }

    [Fact]
    public void Commit_SameKeyAgain_ReplacesAndNullDeletes()
    {
        using var store = Open();
        store.Commit(Batch(1, ("c", "k1", "v1"), ("c", "k2", "v2")));

        store.Commit(Batch(2, ("c", "k1", "v1b"), ("c", "k2", null)));

        Assert.Equal([("k1", "v1b")], Read(store, "c"));
        Assert.Equal(2, store.LastRevision);
    }

    [Fact]
    public void Get_Key_ReturnsItsDocumentOrNull()
    {
        using var store = Open();
        store.Commit(Batch(1, ("c", "a", "1"), ("c", "b", "2")));
        store.Commit(Batch(2, ("c", "b", null)));

        Assert.Equal("1", System.Text.Encoding.UTF8.GetString(store.Get("c", "a")!));
        Assert.Null(store.Get("c", "b"));
        Assert.Null(store.Get("other", "a"));
    }

    [Fact]
    public void Scan_Prefix_ReturnsOnlyMatchingKeys()
    {
        using var store = Open();
        store.Commit(Batch(1, ("c", "ns/a/1", "x"), ("c", "ns/ab/1", "y"), ("c", "ns/b/1", "z")));

        Assert.Equal(["ns/a/1"], Read(store, "c", "ns/a/").Select(d => d.Key));
        Assert.Empty(Read(store, "missing"));
    }

    [Fact]
    public void Commit_OnlyARevision_AdvancesLastRevision()
    {
        using var store = Open();

        store.Commit(new StoreBatch(7, []));

        Assert.Equal(7, store.LastRevision);
    }

    private protected static StoreBatch Batch(long revision, params (string Collection, string Key, string? Value)[] writes) =>
        new(revision, [.. writes.Select(w => new StoreWrite(w.Collection, w.Key, w.Value is null ? null : Encoding.UTF8.GetBytes(w.Value)))]);

    private protected static List<(string Key, string Value)> Read(IRegistryStore store, string collection, string prefix = "") =>
        [.. store.Scan(collection, prefix).Select(d => (d.Key, Encoding.UTF8.GetString(d.Value)))];
}
