using System.Net;
using System.IO.Hashing;
using System.Text;

namespace Registry.Server.Probes;

/// <summary>An instance to check: its key, where to reach it, its check, and its health now.</summary>
internal sealed record ProbeTarget(string Key, IPAddress Address, int Port, ProbeDefinition Check, bool Healthy);

/// <summary>A health the probes decided on: the instance's key, its new health and the last probe's detail.</summary>
internal readonly record struct ProbeFlip(string Key, bool Healthy, string Detail);

/// <summary>Runs one probe; <see cref="Prober"/> in the server, a fake in tests.</summary>
internal interface IProbe
{
    Task<ProbeResult> ProbeAsync(IPAddress address, int port, ProbeDefinition check, CancellationToken cancellationToken);
}

/// <summary>
/// When each instance is probed next, and what its probes decided. Each instance's first probe falls at a point of
/// its interval fixed by a hash of its key, so thousands of checks spread over the interval instead of firing
/// together; at most <c>MaxConcurrency</c> probes are in flight, whatever the number of instances.
/// </summary>
internal sealed class ProbeSchedule(IProbe probe, TimeProvider time, int maxConcurrency) : IDisposable
{
    private readonly Dictionary<string, (ProbeDefinition Check, long Due, ProbeVerdict Verdict)> _state = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots = new(maxConcurrency, maxConcurrency);

    /// <summary>
    /// Probes the targets that are due now and returns the healths that flipped. Targets no longer given are
    /// forgotten; a target whose check changed starts over.
    /// </summary>
    public async Task<IReadOnlyList<ProbeFlip>> RunDueAsync(IReadOnlyCollection<ProbeTarget> targets, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        var given = new HashSet<string>(StringComparer.Ordinal);
        var due = new List<(ProbeTarget Target, ProbeVerdict Verdict)>();
        foreach (var target in targets)
        {
            given.Add(target.Key);
            if (!_state.TryGetValue(target.Key, out var state) || state.Check != target.Check)
            {
                state = (target.Check, now + Offset(target.Key, target.Check.Interval), new ProbeVerdict(target.Healthy));
            }

            if (state.Due <= now)
            {
                due.Add((target, state.Verdict));
                state.Due = Math.Max(state.Due + Ticks(target.Check.Interval), now);
            }

            _state[target.Key] = state;
        }

        foreach (var gone in _state.Keys.Where(key => !given.Contains(key)).ToList())
        {
            _state.Remove(gone);
        }

        var results = await Task.WhenAll(due.Select(item => ProbeAsync(item.Target, cancellationToken)));
        var flips = new List<ProbeFlip>();
        for (var i = 0; i < due.Count; i++)
        {
            if (due[i].Verdict.Record(results[i].Passed, due[i].Target.Check) is { } healthy)
            {
                flips.Add(new ProbeFlip(due[i].Target.Key, healthy, results[i].Detail));
            }
        }

        return flips;
    }

    private async Task<ProbeResult> ProbeAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await probe.ProbeAsync(target.Address, target.Port, target.Check, cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Where in its interval an instance's probes fall: the same for the same key on every node.</summary>
    private long Offset(string key, TimeSpan interval) =>
        (long)(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(key)) % (ulong)Math.Max(1, Ticks(interval)));

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);

    public void Dispose() => _slots.Dispose();
}
