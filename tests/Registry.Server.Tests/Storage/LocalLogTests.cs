using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Storage;

namespace Registry.Server.Tests.Storage;

/// <summary>The local log on its own: group commit, preconditions, durability, the journal and the LiteDB snapshot.</summary>
public sealed class LocalLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DataFile => _dir.File("registry.db");

    private string JournalDirectory => StorageOptions.JournalDirectory(DataFile);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Append_ManyProposals_TakeConsecutiveRevisionsAndAreAppliedInOrder()
    {
        await using var harness = await LogHarness.OpenAsync(":memory:");

        var appended = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => harness.PutAsync($"k{i}", "v")));

        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), appended.Select(a => a.Revision).Order());
        Assert.All(appended, a => Assert.Null(a.Conflict));
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), harness.Sink.Applied);
        Assert.Equal(500, harness.Log.Revision);
    }

    [Fact]
    public async Task Append_TwoDecisionsOnOneKeyFromTheSameRead_TheLaterConflictsAloneAndNamesTheRevisionThatWon()
    {
        await using var harness = await LogHarness.OpenAsync(":memory:");
        var at = harness.Log.ReadPoint;

        var first = harness.PutAsync("k", "first", at);
        var second = harness.PutAsync("k", "second", at);
        var other = harness.PutAsync("j", "other", at);

        Assert.Equal(new Appended(1), await first);
        Assert.Equal(new Appended(0, Conflict: 1), await second);
        Assert.Equal(new Appended(2), await other);
        Assert.Equal("first", harness.Sink.State["k"]);
    }

    [Fact]
    public async Task Append_DiskRefusesIt_FailsWith503AppliesNothingAndGivesItsRevisionToTheNextWrite()
    {
        using var disk = new FlakyDisk { Failing = true };
        await using var harness = await LogHarness.OpenAsync(DataFile, disk);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => harness.PutAsync("k", "v"));

        Assert.IsType<IOException>(error.InnerException);
        Assert.Empty(harness.Sink.Applied);
        Assert.True(harness.Log.Health.LastWriteFailed);
        disk.Failing = false;
        Assert.Equal(1, await harness.WriteAsync("k", "v"));
        Assert.False(harness.Log.Health.LastWriteFailed);
    }

    [Fact]
    public async Task Append_DecidedBeforeAFailedBatch_IsDecidedAgain()
    {
        using var disk = new FlakyDisk();
        await using var harness = await LogHarness.OpenAsync(DataFile, disk);
        await harness.PutAsync("k", "1");
        var before = harness.Log.ReadPoint;
        disk.Failing = true;
        await Assert.ThrowsAsync<StoreUnavailableException>(() => harness.PutAsync("j", "lost"));
        disk.Failing = false;

        var late = await harness.PutAsync("other", "x", before);

        Assert.NotNull(late.Conflict);
        Assert.Equal(2, await harness.WriteAsync("other", "x"));
    }

    [Fact]
    public async Task Reopen_AfterAppends_LoadsEverythingAtItsRevisionAndReplaysNothing()
    {
        await using (var harness = await LogHarness.OpenAsync(DataFile))
        {
            await harness.PutAsync("a", "1");
            await harness.PutAsync("b", "2");
            await harness.PutAsync("a", null);
        }

        await using var reopened = await LogHarness.OpenAsync(DataFile);

        Assert.Equal((3L, 3L), (reopened.Sink.Loaded, reopened.Log.Revision));
        Assert.Empty(reopened.Sink.Applied);
        Assert.Equal(new Dictionary<string, string> { ["b"] = "2" }, reopened.Sink.State);
        Assert.Equal(new Appended(4), await reopened.PutAsync("c", "3"));
    }

    [Fact]
    public async Task Open_JournalAheadOfTheDataFile_ReplaysTheMissingEntriesIntoMemoryAndTheDataFile()
    {
        await using (var harness = await LogHarness.OpenAsync(DataFile))
        {
            await harness.PutAsync("a", "1");
        }

        // What a crash leaves behind: entries made durable in the journal that the data file never received.
        WriteJournal(after: 1, (2, "b", "2"), (3, "a", null));

        await using var reopened = await LogHarness.OpenAsync(DataFile);

        Assert.Equal((1L, 3L), (reopened.Sink.Loaded, reopened.Log.Revision));
        Assert.Equal([2L, 3L], reopened.Sink.Applied);
        Assert.Equal(new Dictionary<string, string> { ["b"] = "2" }, reopened.Sink.State);
        Assert.Equal(("2", (string?)null), (await reopened.StoredAsync("b"), await reopened.StoredAsync("a")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(30)]
    public async Task Open_TornLastRecord_IsCutOffAndItsRevisionTakenAgain(int cut)
    {
        WriteJournal(after: 0, (1, "a", "1"), (2, "b", "2"));
        var segment = Directory.GetFiles(JournalDirectory).Single();
        using (var file = File.OpenWrite(segment))
        {
            file.SetLength(file.Length - cut);
        }

        await using var reopened = await LogHarness.OpenAsync(DataFile);

        Assert.Equal([1L], reopened.Sink.Applied);
        Assert.Equal(new Appended(2), await reopened.PutAsync("c", "3"));
    }

    [Fact]
    public async Task Open_DamageBeforeTheLastSegment_RefusesToStartAndNamesTheFile()
    {
        WriteJournal(after: 0, (1, "a", "1"), (2, "b", "2"));
        WriteJournal(after: 2, segmentBytes: 1, (3, "c", "3"));
        var first = Directory.GetFiles(JournalDirectory).Order(StringComparer.Ordinal).First();
        var bytes = await File.ReadAllBytesAsync(first, Ct);
        bytes[^3] ^= 0xFF;
        await File.WriteAllBytesAsync(first, bytes, Ct);

        var refused = await Assert.ThrowsAsync<StartupException>(() => LogHarness.OpenAsync(DataFile));

        Assert.Contains(first, refused.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(first, Ct));
    }

    [Theory]
    [InlineData(20)] // a byte of a record's content: its checksum fails
    [InlineData(1)] // a byte of a record's length: it reads as running past the end
    public async Task Open_FlippedByteInTheMiddleOfTheLastSegment_RefusesToStartNamingFileAndOffsetAndLeavesItUntouched(int within)
    {
        var (segment, recordBytes) = FiftyEntries();
        var bytes = await File.ReadAllBytesAsync(segment, Ct);
        bytes[24 * recordBytes + within] ^= 0x5A;
        await File.WriteAllBytesAsync(segment, bytes, Ct);

        var refused = await Assert.ThrowsAsync<StartupException>(() => LogHarness.OpenAsync(DataFile));

        Assert.Contains($"{segment} is damaged at byte {24 * recordBytes}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("salvage-journal", refused.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(segment, Ct));
    }

    [Fact]
    public async Task SalvageJournal_DamagedInTheMiddle_MovesItAsideUntouchedAndTheLogStartsFromItsIntactPart()
    {
        var (segment, recordBytes) = FiftyEntries();
        var bytes = await File.ReadAllBytesAsync(segment, Ct);
        bytes[24 * recordBytes + 20] ^= 0x5A;
        await File.WriteAllBytesAsync(segment, bytes, Ct);

        var salvaged = LocalLog.SalvageJournal(DataFile, TimeProvider.System);

        Assert.NotNull(salvaged);
        Assert.Equal((24L, 24L, segment, 24L * recordBytes), (salvaged.Entries, salvaged.LastRevision, salvaged.DamagedFile, salvaged.DamagedAt));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(salvaged.MovedTo, Path.GetFileName(segment)), Ct));
        await using var reopened = await LogHarness.OpenAsync(DataFile);
        Assert.Equal(Enumerable.Range(1, 24).Select(r => (long)r), reopened.Sink.Applied);
        Assert.Equal(new Appended(25), await reopened.PutAsync("next", "v"));
    }

    [Fact]
    public async Task SalvageJournal_NoDamage_ChangesNothing()
    {
        var (segment, _) = FiftyEntries();
        var bytes = await File.ReadAllBytesAsync(segment, Ct);

        Assert.Null(LocalLog.SalvageJournal(DataFile, TimeProvider.System));

        Assert.Equal(bytes, await File.ReadAllBytesAsync(segment, Ct));
        Assert.Single(Directory.GetDirectories(_dir.Path));
    }

    [Fact]
    public async Task Append_JournalPastItsLimit_IsCheckpointedAndItsOldSegmentsRemoved()
    {
        await using var harness = await LogHarness.OpenAsync(DataFile, checkpointBytes: 64 * 1024);
        var value = new string('x', 4096);

        for (var i = 1; i <= 40; i++)
        {
            await harness.PutAsync($"k{i}", value);
        }

        Assert.Equal(value, await harness.StoredAsync("k40"));
        Assert.True(Directory.GetFiles(JournalDirectory).Sum(f => new FileInfo(f).Length) < 2 * 64 * 1024);
        Assert.True(Directory.GetFiles(JournalDirectory).Length < 3);
    }

    [Fact]
    public async Task Append_ThousandsRewritingTheSameKeys_LeaveTheLastWritePerKeyInTheDataFile()
    {
        await using (var harness = await LogHarness.OpenAsync(DataFile))
        {
            for (var i = 1; i <= 12_000; i += 100)
            {
                await Task.WhenAll(Enumerable.Range(i, 100).Select(n => harness.PutAsync($"k{n % 7}-{n}", "x")));
                await Task.WhenAll(Enumerable.Range(0, 7).Select(k => harness.PutAsync($"k{k}", $"{i}")));
            }

            Assert.Equal("11901", await harness.StoredAsync("k3"));
        }

        await using var reopened = await LogHarness.OpenAsync(DataFile);

        Assert.Equal(12_007, reopened.Sink.State.Count);
        Assert.Equal("11901", reopened.Sink.State["k6"]);
    }

    [Fact]
    public async Task Open_JournalOfAnEarlierVersion_IsFoldedIntoTheDataFileAndRemoved()
    {
        await using (var harness = await LogHarness.OpenAsync(DataFile))
        {
            await harness.PutAsync("a", "1");
        }

        // The earlier journal: batches of document writes; a token took no revision of its own.
        var legacy = LegacyJournal.PathOf(DataFile);
        await File.WriteAllBytesAsync(legacy, [.. LegacyRecord(1, ("test", "t", "token")), .. LegacyRecord(2, ("test", "a", null))], Ct);

        await using var reopened = await LogHarness.OpenAsync(DataFile);

        Assert.Equal(2, reopened.Log.Revision);
        Assert.Equal(new Dictionary<string, string> { ["t"] = "token" }, reopened.Sink.State);
        Assert.False(File.Exists(legacy));
    }

    [Fact]
    public async Task Open_DataFileThatIgnoresCase_IsRebuiltToCompareKeysExactly()
    {
        // Earlier versions made the data file with LiteDB's default collation, which ignores case.
        using (var earlier = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = DataFile, Connection = LiteDB.ConnectionType.Direct }))
        {
            earlier.GetCollection(TestPut.Collection).Insert(new LiteDB.BsonDocument { ["_id"] = "Key", ["v"] = Encoding.UTF8.GetBytes("upper") });
            earlier.GetCollection("meta").Insert(new LiteDB.BsonDocument { ["_id"] = "revision", ["v"] = 1L });
        }

        await using (var harness = await LogHarness.OpenAsync(DataFile))
        {
            Assert.Equal(new Dictionary<string, string> { ["Key"] = "upper" }, harness.Sink.State);
            await harness.PutAsync("key", "lower");
        }

        await using var reopened = await LogHarness.OpenAsync(DataFile);

        Assert.Equal(new Dictionary<string, string> { ["Key"] = "upper", ["key"] = "lower" }, reopened.Sink.State);
    }

    [Fact]
    public async Task Open_SecondLogOnTheSameFile_FailsInsteadOfSharingIt()
    {
        await using var harness = await LogHarness.OpenAsync(DataFile);

        var refused = await Assert.ThrowsAsync<StartupException>(() => LogHarness.OpenAsync(DataFile));

        Assert.IsType<IOException>(refused.InnerException, exactMatch: false);
        Assert.Contains("no other server may be using them", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_DataDirectoryItCreates_IsTheServerUsersAlone()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes only.");
        await using var harness = await LogHarness.OpenAsync(_dir.File(Path.Combine("data", "registry.db")));

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_dir.File("data")));
        }
    }

    [Fact]
    public async Task Backup_HoldsEverythingAppliedAndARestoreStartsFromIt()
    {
        var restored = _dir.File(Path.Combine("restored", "registry.db"));
        Backup backup;
        await using (var harness = await LogHarness.OpenAsync(DataFile))
        {
            await harness.PutAsync("a", "1");
            await harness.PutAsync("b", "2");
            backup = await harness.Log.BackupAsync(Ct);
            await harness.PutAsync("c", "after the backup");
            Assert.Equal(2, LocalLog.Restore(backup.Path, restored));
            File.Delete(backup.Path);
        }

        await using var reopened = await LogHarness.OpenAsync(restored);

        Assert.Equal(2, backup.Revision);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, reopened.Sink.State);
        Assert.Equal(new Appended(3), await reopened.PutAsync("c", "3"));
    }

    /// <summary>Revisions 1 to 50 in one segment, records of one size; the segment and that size.</summary>
    private (string Segment, int RecordBytes) FiftyEntries()
    {
        WriteJournal(after: 0, [.. Enumerable.Range(1, 50).Select(r => ((long)r, $"k{r + 10}", (string?)"v"))]);
        var segment = Directory.GetFiles(JournalDirectory).Single();
        return (segment, (int)(new FileInfo(segment).Length / 50));
    }

    /// <summary>Entries as the server writes them, in a segment of their own that starts after <paramref name="after"/>.</summary>
    private void WriteJournal(long after, params (long Revision, string Name, string? Value)[] entries) =>
        WriteJournal(after, segmentBytes: 1 << 20, entries);

    private void WriteJournal(long after, long segmentBytes, params (long Revision, string Name, string? Value)[] entries)
    {
        using var journal = Journal.Open(JournalDirectory, segmentBytes, after, LogHarness.Codec, out _);
        foreach (var (revision, name, value) in entries)
        {
            var records = new ArrayBufferWriter<byte>();
            Journal.Encode(records, revision, LogHarness.Codec.Encode([new TestPut(name, value)], []));
            journal.Append(records.WrittenSpan, revision, revision);
        }
    }

    private static byte[] LegacyRecord(long revision, params (string Collection, string Key, string? Value)[] writes)
    {
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(revision);
            writer.Write(writes.Length);
            foreach (var (collection, key, value) in writes)
            {
                writer.Write(collection);
                writer.Write(key);
                if (value is null)
                {
                    writer.Write(-1);
                }
                else
                {
                    var bytes = Encoding.UTF8.GetBytes(value);
                    writer.Write(bytes.Length);
                    writer.Write(bytes);
                }
            }
        }

        var body = payload.ToArray();
        var record = new byte[8 + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(record, body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32.HashToUInt32(body));
        body.CopyTo(record, 8);
        return record;
    }
}
