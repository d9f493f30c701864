using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Registry.Server.Log;
using Registry.Server.Tests.Storage;

namespace Registry.Server.Tests.Log;

/// <summary>How a use case writes: decide on what it read, append, decide again when someone else came first.</summary>
public sealed class ChangeWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Write_SomeoneElseWroteWhatItReadFirst_DecidesAgainOnTheirChangeAndSucceeds()
    {
        await using var harness = await LogHarness.OpenAsync(":memory:");
        var writer = new ChangeWriter(harness.Log, NullLogger<ChangeWriter>.Instance);
        var seen = new List<string?>();
        Task<Appended>? theirs = null;

        var revision = await writer.WriteAsync(at =>
        {
            seen.Add(harness.Sink.State.GetValueOrDefault("k"));

            // Their write reaches the log between this decision and its append.
            theirs ??= harness.PutAsync("k", "theirs", at);
            return new Proposal(at).Add(new TestPut("k", "mine")).Then(r => r);
        }, Ct);

        Assert.Equal(1, (await theirs!).Revision);
        Assert.Equal(2, revision.Value);
        Assert.Equal([null, "theirs"], seen);
        Assert.Equal("mine", harness.Sink.State["k"]);
    }

    [Fact]
    public async Task Write_ADecisionThatFails_AppendsNothing()
    {
        await using var harness = await LogHarness.OpenAsync(":memory:");
        var writer = new ChangeWriter(harness.Log, NullLogger<ChangeWriter>.Instance);

        var outcome = await writer.WriteAsync<long>(
            _ => new Registry.Server.Infrastructure.Failure(412, "version-mismatch", "No.", "No."), Ct);

        Assert.Equal("version-mismatch", outcome.Failure!.Code);
        Assert.Equal(0, harness.Log.Revision);
    }

    [Fact]
    public async Task Write_ManyWritersOfOneHotKey_EachBuildsOnTheOneBeforeWhileTheDiskIsBusyAndNoneDecidesTwice()
    {
        const int Writers = 100;
        using var disk = new FlakyDisk();
        await using var harness = await LogHarness.OpenAsync(_dir.File("registry.db"), disk);
        var writer = new ChangeWriter(harness.Log, NullLogger<ChangeWriter>.Instance);
        var decisions = 0;
        disk.Hold();

        // Each writer adds one to the counter as the log last took it in, even before that is durable.
        var writes = Enumerable.Range(0, Writers).Select(_ => writer.WriteAsync(at =>
        {
            Interlocked.Increment(ref decisions);
            var proposal = new Proposal(at);
            var current = harness.Sink.State.GetValueOrDefault("k");
            if (harness.Log.Pending("test/k") is { Change: TestPut put } pending)
            {
                proposal.ReadPending("test/k", pending.Revision);
                current = put.Value;
            }

            return proposal.Add(new TestPut("k", (Count(current) + 1).ToString(CultureInfo.InvariantCulture))).Then(r => r);
        }, Ct, serializeOn: "test/k")).ToList();
        await Eventually.TrueAsync(
            () => harness.Log.Pending("test/k") is { Change: TestPut { Value: "100" } }, "all taken in while the disk is busy");
        disk.Answer();
        var revisions = await Task.WhenAll(writes);

        Assert.Equal(Enumerable.Range(1, Writers).Select(r => (long)r), revisions.Select(r => r.Value).Order());
        Assert.Equal(Writers, decisions);
        Assert.Equal("100", harness.Sink.State["k"]);
    }

    private static int Count(string? value) => value is null ? 0 : int.Parse(value, CultureInfo.InvariantCulture);
}
