using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using Registry.Server.Events;

namespace Registry.Benchmarks.Micro;

/// <summary>
/// Appending one committed change to the feed and delivering it to S subscribers of which one in ten
/// watches its topic; each matching subscriber then reads it, as its stream would.
/// </summary>
[MemoryDiagnoser]
public class ChangeFeedBenchmarks : IDisposable
{
    private static readonly EventTopic Watched = new("service", "public", "DEFAULT_GROUP", "orders");
    private ChangeFeed _feed = null!;
    private Subscription[] _subscriptions = [];
    private long _revision;

    [Params(0, 1_000, 10_000)]
    public int Subscribers { get; set; }

    [GlobalSetup]
    public void SetUp()
    {
        _feed = new ChangeFeed(Options.Create(new EventOptions { CoalesceWindow = TimeSpan.Zero }), TimeProvider.System);
        _subscriptions = [.. Enumerable.Range(0, Subscribers).Select(i =>
        {
            var topic = i % 10 == 0 ? Watched : Watched with { Name = $"other-{i}" };
            return _feed.Subscribe(change => change.Topic == topic);
        })];
    }

    [GlobalCleanup]
    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        _feed.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public int AppendAndDeliver()
    {
        var revision = ++_revision;
        _feed.Append([new ChangeEvent(revision, Watched, "instances", Payload.Instance)], revision);
        var delivered = 0;
        foreach (var subscription in _subscriptions)
        {
            while (subscription.Events.TryRead(out _))
            {
                delivered++;
            }
        }

        return delivered;
    }

    private sealed class Payload : EventPayload
    {
        public static readonly Payload Instance = new();

        public override int Size => 64;

        protected override byte[] Render() => "{}"u8.ToArray();
    }
}
