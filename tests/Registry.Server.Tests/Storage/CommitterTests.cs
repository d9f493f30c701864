using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Registry.Server.Events;
using Registry.Server.Storage;

namespace Registry.Server.Tests.Storage;

public sealed class CommitterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Execute_ManyMutations_TakeConsecutiveRevisionsAndAreDurable()
    {
        using var store = LiteDbStoreTests.Open(":memory:");
        await using var committer = NewCommitter(store);

        var revisions = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ =>
            committer.ExecuteAsync(changes => changes.NextRevision(), Ct)));

        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), revisions.Order());
        Assert.Equal(500, committer.Revision);
        Assert.Equal(500, store.LastRevision);
    }

    [Fact]
    public async Task Execute_MutationThatThrows_IsUndoneAloneAndReportsItsError()
    {
        using var store = LiteDbStoreTests.Open(":memory:");
        await using var committer = NewCommitter(store);
        var memory = new List<string>();

        var bad = committer.ExecuteAsync<long>(changes =>
        {
            changes.NextRevision();
            memory.Add("bad");
            changes.OnRollback(() => memory.Remove("bad"));
            throw new InvalidOperationException("bug");
        }, Ct);
        var good = committer.ExecuteAsync(changes =>
        {
            memory.Add("good");
            changes.OnRollback(() => memory.Remove("good"));
            return changes.NextRevision();
        }, Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Equal(1, await good);
        Assert.Equal(["good"], memory);
    }

    [Fact]
    public async Task Execute_StoreFailure_UndoesTheWholeBatchAndFailsItWith503()
    {
        var store = new FlakyStore(LiteDbStoreTests.Open(":memory:")) { Failing = true };
        await using var committer = NewCommitter(store);
        var memory = new List<int>();

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => committer.ExecuteAsync(changes =>
        {
            memory.Add(1);
            changes.OnRollback(() => memory.Remove(1));
            return changes.NextRevision();
        }, Ct));

        Assert.IsType<IOException>(error.InnerException);
        Assert.Empty(memory);
        Assert.False(committer.IsHealthy);

        // Work between batches writes nothing, so it proves nothing about the store.
        await committer.ExclusiveAsync(() => true, Ct);
        Assert.False(committer.IsHealthy);
        store.Failing = false;
        Assert.Equal(1, await committer.ExecuteAsync(changes => changes.NextRevision(), Ct));
        Assert.True(committer.IsHealthy);
    }

    [Fact]
    public async Task Execute_AfterCommittedActions_RunOnlyOnceDurable()
    {
        var store = new FlakyStore(LiteDbStoreTests.Open(":memory:")) { Failing = true };
        await using var committer = NewCommitter(store);
        var ran = 0;

        await Assert.ThrowsAsync<StoreUnavailableException>(() => committer.ExecuteAsync(changes =>
        {
            changes.OnCommitted(() => ran++);
            return changes.NextRevision();
        }, Ct));
        store.Failing = false;
        await committer.ExecuteAsync(changes =>
        {
            changes.OnCommitted(() => ran++);
            return changes.NextRevision();
        }, Ct);

        Assert.Equal(1, ran);
    }

    private static Committer NewCommitter(IRegistryStore store) =>
        new(store, new ChangeFeed(store, Options.Create(new EventOptions()), TimeProvider.System), Options.Create(new StorageOptions()),
            NullLogger<Committer>.Instance);
}
