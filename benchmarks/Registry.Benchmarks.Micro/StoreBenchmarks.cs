using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Registry.Server.Hosting;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Naming;
using Registry.Server.Storage;

namespace Registry.Benchmarks.Micro;

/// <summary>
/// Durable writes through the local log: 1,024 registrations of new instances appended at once, numbered, made
/// durable by group commit (one fsync per batch) and folded into LiteDB off the write path. Reported per write.
/// </summary>
[MemoryDiagnoser]
public class StoreBenchmarks : IAsyncDisposable
{
    private const int Writes = 1_024;
    private static readonly ServiceKey Service = new("public", "DEFAULT_GROUP", "svc");
    private readonly string _directory = Directory.CreateTempSubdirectory("registry-store-bench-").FullName;
    private LocalLog _log = null!;
    private long _round;

    [GlobalSetup]
    public void SetUp()
    {
        _log = new LocalLog(
            Options.Create(new StorageOptions { Path = Path.Combine(_directory, "registry.db") }), RegistryServices.Codec,
            new StoreMetrics(new MetricRegistry()), new NoDiskFaults(), TimeProvider.System, NullLogger<LocalLog>.Instance);
        _log.OpenAsync(new DiscardingSink(), CancellationToken.None).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public async ValueTask DisposeAsync()
    {
        await _log.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Benchmark(OperationsPerInvoke = Writes)]
    public async Task AppendBatch()
    {
        var round = ++_round;
        var at = _log.ReadPoint;
        await Task.WhenAll(Enumerable.Range(0, Writes).Select(i =>
        {
            var ip = $"10.{round % 250}.{i / 250}.{i % 250}";
            var record = new InstanceRecord(
                InstanceIds.Derive(ip, 8080, "DEFAULT"), ip, 8080, "DEFAULT", null, true, true, true, MetadataMaps.Empty, null, null, null,
                DateTimeOffset.UnixEpoch, 0);
            return _log.AppendAsync(new Proposal(at).Add(new InstancePut(Service with { Name = $"svc-{round}" }, record, Created: true)), CancellationToken.None);
        }));
    }

    private sealed class DiscardingSink : ILogSink
    {
        private long _applied;

        public void Load(IDocumentReader snapshot, long revision) => _applied = revision;

        public void Apply(IReadOnlyList<LogEntry> entries) => _applied = entries[^1].Revision;

        public SnapshotCapture Capture(bool full) => new(_applied, _ => { });
    }
}
