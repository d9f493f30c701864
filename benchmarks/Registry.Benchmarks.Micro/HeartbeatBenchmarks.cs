using BenchmarkDotNet.Attributes;
using Registry.Server.Naming;

namespace Registry.Benchmarks.Micro;

/// <summary>
/// One heartbeat through the mediator (validation, lease renewal, the cached reply bytes) with N ephemeral
/// instances registered: what every beat costs before HTTP.
/// </summary>
[MemoryDiagnoser]
public class HeartbeatBenchmarks
{
    private InProcessRegistry _registry = null!;
    private HeartbeatCommand[] _beats = [];
    private int _next;

    [Params(10_000, 100_000)]
    public int Instances { get; set; }

    [GlobalSetup]
    public async Task SetUp()
    {
        _registry = await InProcessRegistry.StartAsync();
        var ids = await _registry.RegisterAsync("beat", Instances);
        _beats = [.. ids.Select(id => new HeartbeatCommand("public", "DEFAULT_GROUP", "beat", id))];
    }

    [GlobalCleanup]
    public async Task CleanUp() => await _registry.DisposeAsync();

    [Benchmark]
    public async ValueTask<byte[]> Heartbeat()
    {
        var beat = _beats[_next++ % _beats.Length];
        var outcome = await _registry.Mediator.Send(beat);
        return HeartbeatReplies.Json(outcome.Value.Reply);
    }
}
