using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Storage;

namespace Registry.Server.Tests.Storage;

/// <summary>
/// A local log on its own, with one kind of change (a text value by name, in collection <c>test</c>) and a sink that
/// records what it is given: the log as the projections see it.
/// </summary>
internal sealed class LogHarness : IAsyncDisposable
{
    public static readonly ChangeCodec Codec = new([ChangeType.Of("test.put", TestJson.Default.TestPut)]);

    private LogHarness(LocalLog log, RecordingSink sink)
    {
        Log = log;
        Sink = sink;
    }

    public LocalLog Log { get; }

    public RecordingSink Sink { get; }

    public static async Task<LogHarness> OpenAsync(string path, IDiskFaults? faults = null, long checkpointBytes = 16 * 1024 * 1024)
    {
        var log = new LocalLog(
            Options.Create(new StorageOptions { Path = path, JournalCheckpointBytes = checkpointBytes }), Codec,
            new StoreMetrics(new MetricRegistry()), faults ?? new NoDiskFaults(), TimeProvider.System, NullLogger<LocalLog>.Instance);
        var sink = new RecordingSink();
        await log.OpenAsync(sink, TestContext.Current.CancellationToken);
        return new LogHarness(log, sink);
    }

    /// <summary>Appends as a use case does, deciding again when a concurrent change got there first; the revision it took.</summary>
    public async Task<long> WriteAsync(string name, string? value) =>
        (await new ChangeWriter(Log, NullLogger<ChangeWriter>.Instance).WriteAsync(
            at => new Proposal(at).Add(new TestPut(name, value)).Then(revision => revision), TestContext.Current.CancellationToken)).Value;

    public Task<Appended> PutAsync(string name, string? value, ReadPoint? at = null) =>
        Log.AppendAsync(new Proposal(at ?? Log.ReadPoint).Add(new TestPut(name, value)), TestContext.Current.CancellationToken);

    public async Task<string?> StoredAsync(string name) =>
        (await Log.ReadStoreAsync(TestContext.Current.CancellationToken)).Get(TestPut.Collection, name) is { } value
            ? Encoding.UTF8.GetString(value)
            : null;

    public ValueTask DisposeAsync() => Log.DisposeAsync();
}

/// <summary>A value set (or removed, when null) under a name.</summary>
internal sealed record TestPut(string Name, string? Value) : Change
{
    public const string Collection = "test";

    public override string Key() => "test/" + Name;

    public override void Materialize(IDocumentWriter writer, long revision)
    {
        if (Value is null)
        {
            writer.Delete(Collection, Name);
        }
        else
        {
            writer.Put(Collection, Name, Encoding.UTF8.GetBytes(Value));
        }
    }
}

/// <summary>The state the log delivers: what was loaded, then every applied entry in order.</summary>
internal sealed class RecordingSink : ILogSink
{
    public Dictionary<string, string> State { get; } = [];

    public List<long> Applied { get; } = [];

    public long Loaded { get; private set; }

    public void Load(IDocumentReader snapshot, long revision)
    {
        Loaded = revision;
        foreach (var document in snapshot.Scan(TestPut.Collection))
        {
            State[document.Key] = Encoding.UTF8.GetString(document.Value);
        }
    }

    public SnapshotCapture Capture(bool full) => new(Applied.Count > 0 ? Applied[^1] : Loaded, _ => { });

    public void Apply(IReadOnlyList<LogEntry> entries)
    {
        foreach (var entry in entries)
        {
            Applied.Add(entry.Revision);
            foreach (var put in entry.Changes.OfType<TestPut>())
            {
                if (put.Value is null)
                {
                    State.Remove(put.Name);
                }
                else
                {
                    State[put.Name] = put.Value;
                }
            }
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TestPut))]
internal sealed partial class TestJson : JsonSerializerContext;
