using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Registry.Server.Storage;

namespace Registry.Benchmarks.Micro;

/// <summary>
/// Durable writes into the file store: one group commit of 1,024 instance-sized documents with new keys,
/// appended to the journal (one fsync) and folded into LiteDB in one transaction, as the store does every
/// thousand or so acknowledged writes. Reported per write.
/// </summary>
[MemoryDiagnoser]
public class StoreBenchmarks : IDisposable
{
    private const int Writes = 1_024;
    private static readonly byte[] Document = new byte[320];
    private readonly string _directory = Directory.CreateTempSubdirectory("registry-store-bench-").FullName;
    private LiteDbStore _store = null!;
    private long _revision;

    [GlobalSetup]
    public void SetUp() => _store = new LiteDbStore(
        Options.Create(new StorageOptions { Path = Path.Combine(_directory, "registry.db") }), NullLogger<LiteDbStore>.Instance);

    [GlobalCleanup]
    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Benchmark(OperationsPerInvoke = Writes)]
    public void FoldInBatch()
    {
        var revision = ++_revision;
        var writes = new List<StoreWrite>(Writes);
        for (var i = 0; i < Writes; i++)
        {
            writes.Add(new StoreWrite("instances", $"public/DEFAULT_GROUP/svc-{revision % 100}/10.{revision}.{i}#8080#DEFAULT", Document, Created: true));
        }

        _store.Commit(new StoreBatch(revision, writes));
    }
}
