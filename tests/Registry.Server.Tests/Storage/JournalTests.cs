using System.Text;
using Registry.Server.Storage;

namespace Registry.Server.Tests.Storage;

public sealed class JournalTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Path => _dir.File("test.journal");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ReadAll_AfterAppends_ReturnsEveryBatchInOrder()
    {
        using (var journal = new Journal(Path))
        {
            journal.Append(Batch(1, "a", "1"));
            journal.Append(Batch(2, "b", null));
        }

        using var reopened = new Journal(Path);
        var batches = reopened.ReadAll();

        Assert.Equal([1L, 2L], batches.Select(b => b.Revision));
        Assert.Equal("1", Encoding.UTF8.GetString(batches[0].Writes[0].Value!));
        Assert.Null(batches[1].Writes[0].Value);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(20)]
    public void ReadAll_TornLastRecord_DropsItAndKeepsTheRest(int cut)
    {
        using (var journal = new Journal(Path))
        {
            journal.Append(Batch(1, "a", "1"));
            journal.Append(Batch(2, "b", "2"));
        }

        using (var file = File.OpenWrite(Path))
        {
            file.SetLength(file.Length - cut);
        }

        using var reopened = new Journal(Path);
        Assert.Equal([1L], reopened.ReadAll().Select(b => b.Revision));
        reopened.Append(Batch(3, "c", "3"));
        reopened.Dispose();
        using var again = new Journal(Path);
        Assert.Equal([1L, 3L], again.ReadAll().Select(b => b.Revision));
    }

    [Fact]
    public void ReadAll_CorruptRecord_StopsThere()
    {
        using (var journal = new Journal(Path))
        {
            journal.Append(Batch(1, "a", "1"));
            journal.Append(Batch(2, "b", "2"));
        }

        var bytes = File.ReadAllBytes(Path);
        bytes[^3] ^= 0xFF;
        File.WriteAllBytes(Path, bytes);

        using var reopened = new Journal(Path);
        Assert.Equal([1L], reopened.ReadAll().Select(b => b.Revision));
    }

    private static StoreBatch Batch(long revision, string key, string? value) =>
        new(revision, [new StoreWrite("c", key, value is null ? null : Encoding.UTF8.GetBytes(value))]);
}
