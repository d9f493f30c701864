using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Registry.Server.Infrastructure;
using Registry.Server.Storage;

namespace Registry.Server.Tests.Storage;

public sealed class InMemoryLiteDbStoreTests : RegistryStoreContract
{
    private protected override IRegistryStore Open() => LiteDbStoreTests.Open(":memory:");
}

public sealed class LiteDbStoreTests : RegistryStoreContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    private string DataFile => _dir.File("registry.db");

    public void Dispose() => _dir.Dispose();

    private protected override IRegistryStore Open() => Open(DataFile);

    internal static LiteDbStore Open(string path, long checkpointBytes = 16 * 1024 * 1024) =>
        new(Options.Create(new StorageOptions { Path = path, JournalCheckpointBytes = checkpointBytes }), NullLogger<LiteDbStore>.Instance);

    [Fact]
    public void Reopen_AfterCommits_HasEverythingAndTheRevision()
    {
        using (var store = Open())
        {
            store.Commit(Batch(1, ("c", "a", "1")));
            store.Commit(Batch(2, ("c", "b", "2"), ("c", "a", null)));
        }

        using var reopened = Open();

        Assert.Equal([("b", "2")], Read(reopened, "c"));
        Assert.Equal(2, reopened.LastRevision);
    }

    [Fact]
    public void Open_JournalAheadOfTheDataFile_ReplaysTheMissingBatches()
    {
        using (var store = Open())
        {
            store.Commit(Batch(1, ("c", "a", "1")));
        }

        // What a crash leaves behind: batches made durable in the journal that LiteDB never received.
        using (var journal = new Journal(DataFile + ".journal"))
        {
            journal.ReadAll();
            journal.Append(Batch(1, ("c", "a", "stale")));
            journal.Append(Batch(2, ("c", "b", "2")));
            journal.Append(Batch(3, ("c", "a", null), ("c", "c", "3")));
        }

        using var reopened = Open();

        Assert.Equal([("b", "2"), ("c", "3")], Read(reopened, "c"));
        Assert.Equal(3, reopened.LastRevision);
        Assert.Equal(0, new FileInfo(DataFile + ".journal").Length);
    }

    [Fact]
    public void Open_DataDirectoryItCreates_IsTheServerUsersAlone()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes only.");
        using var store = Open(_dir.File(Path.Combine("data", "registry.db")));

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_dir.File("data")));
        }
    }

    [Fact]
    public void Open_JournalWithAWriteThatTookNoRevision_ReplaysIt()
    {
        using (var store = Open())
        {
            store.Commit(Batch(1, ("c", "a", "1")));
        }

        // A token or an audit entry takes no revision: its batch has the revision LiteDB already holds.
        using (var journal = new Journal(DataFile + ".journal"))
        {
            journal.ReadAll();
            journal.Append(Batch(1, ("tokens", "t", "revoked")));
        }

        using var reopened = Open();

        Assert.Equal([("t", "revoked")], Read(reopened, "tokens"));
        Assert.Equal([("a", "1")], Read(reopened, "c"));
    }

    [Fact]
    public void Commit_JournalPastItsLimit_IsCheckpointedAndEmptied()
    {
        using var store = Open(DataFile, checkpointBytes: 64 * 1024);
        var value = new string('x', 4096);

        for (var i = 1; i <= 40; i++)
        {
            store.Commit(Batch(i, ("c", $"k{i}", value)));
        }

        Assert.True(new FileInfo(DataFile + ".journal").Length < 64 * 1024);
        Assert.Equal(40, Read(store, "c").Count);
    }

    [Fact]
    public void Commit_ThousandsOfBatchesRewritingTheSameKeys_ReadsAndReopensAtTheLastWritePerKey()
    {
        using (var store = Open())
        {
            for (var i = 1; i <= 12_000; i++)
            {
                store.Commit(Batch(i, ("c", $"k{i % 7}", $"{i}"), ("d", $"k{i}", i % 2 == 0 ? null : "odd")));
                if (i % 5_000 == 0)
                {
                    Assert.Equal(7, Read(store, "c").Count);
                }
            }

            Assert.Equal(Enumerable.Range(11_994, 7).Select(i => ($"k{i % 7}", $"{i}")).Order(), Read(store, "c").Order());
        }

        using var reopened = Open();

        Assert.Equal(6_000, Read(reopened, "d").Count);
        Assert.Equal("11997", System.Text.Encoding.UTF8.GetString(reopened.Get("c", "k6")!));
        Assert.Equal(12_000, reopened.LastRevision);
    }

    [Fact]
    public void Commit_CreatedKeysUpdatedDeletedAndCreatedAgain_FoldInToTheLastWritePerKey()
    {
        using (var store = Open())
        {
            store.Commit(Batch(1, ("c", "kept", "1")));
            for (var i = 2; i <= 1_100; i++)
            {
                // Created then deleted before any fold-in; created then updated; deleted then created again.
                store.Commit(new StoreBatch(i,
                [
                    Created("c", $"gone-{i}", "x"), new StoreWrite("c", $"gone-{i}", null),
                    Created("c", $"new-{i:D4}", "x"), new StoreWrite("c", $"new-{i:D4}", "y"u8.ToArray()),
                    new StoreWrite("c", "kept", null), Created("c", "kept", $"{i}"),
                ]));
            }

            Assert.Equal(1_100, Read(store, "c").Count);
            Assert.Equal(("kept", "1100"), Read(store, "c", "kept").Single());
        }

        using var reopened = Open();

        Assert.Equal(1_099, Read(reopened, "c", "new-").Count(d => d.Value == "y"));
        Assert.Equal(("kept", "1100"), Read(reopened, "c", "kept").Single());
        Assert.Empty(Read(reopened, "c", "gone-"));
    }

    [Fact]
    public void Commit_KeyMarkedCreatedThatExists_IsWrittenAnyway()
    {
        using var store = Open();
        store.Commit(Batch(1, ("c", "a", "1")));
        Assert.Single(Read(store, "c"));

        store.Commit(new StoreBatch(2, [Created("c", "a", "2"), Created("c", "b", "3")]));

        Assert.Equal([("a", "2"), ("b", "3")], Read(store, "c"));
    }

    [Fact]
    public void Open_JournalWithCreatedKeysAlreadyInTheDataFile_ReplaysThemAsWrites()
    {
        using (var store = Open())
        {
            store.Commit(Batch(1, ("c", "a", "1")));
        }

        // A journal written before a crash holds the same key again: its creation hint is not journaled.
        using (var journal = new Journal(DataFile + ".journal"))
        {
            journal.ReadAll();
            journal.Append(new StoreBatch(2, [Created("c", "a", "2")]));
        }

        using var reopened = Open();

        Assert.Equal([("a", "2")], Read(reopened, "c"));
    }

    private static StoreWrite Created(string collection, string key, string value) =>
        new(collection, key, System.Text.Encoding.UTF8.GetBytes(value), Created: true);

    [Fact]
    public void Open_SecondStoreOnTheSameFile_FailsInsteadOfSharingIt()
    {
        using var store = Open();

        var refused = Assert.Throws<StartupException>(() => Open());
        Assert.IsType<IOException>(refused.InnerException, exactMatch: false);
        Assert.Contains("no other server may be using them", refused.Message, StringComparison.Ordinal);
    }
}
