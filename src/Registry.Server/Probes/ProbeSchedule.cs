using System.Net;
using System.IO.Hashing;
using System.Text;

namespace Registry.Server.Probes;

/// <summary>An instance to check: its key, where to reach it, its check, and its health now.</summary>
internal sealed record ProbeTarget(string Key, IPAddress Address, int Port, ProbeDefinition Check, bool Healthy);

/// <summary>
/// A health the probes call for: the instance's key, the target probed (its check and the health it had), the new
/// health and the last probe's detail.
/// </summary>
internal readonly record struct ProbeFlip(ProbeTarget Target, bool Healthy, string Detail);

/// <summary>Runs one probe; <see cref="Prober"/> in the server, a fake in tests.</summary>
internal interface IProbe
{
    Task<ProbeResult> ProbeAsync(IPAddress address, int port, ProbeDefinition check, CancellationToken cancellationToken);
}

/// <summary>
/// When each instance is probed next, and what its probes decided. Each instance's probes fall at a point of its
/// interval fixed by a hash of its key, so thousands of checks spread over the interval instead of firing together;
/// at most <c>maxConcurrency</c> probes are in flight, whatever the number of instances, and a probe that hangs
/// holds up no other instance's (an instance is not probed again while its last probe runs). A flip of health goes
/// to <c>flipped</c> as its probe completes, and the instance's next probe waits for it to be handled.
/// </summary>
internal sealed class ProbeSchedule(
    IProbe probe, TimeProvider time, int maxConcurrency, Func<ProbeFlip, CancellationToken, Task> flipped) : IDisposable
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots = new(maxConcurrency, maxConcurrency);

    /// <summary>
    /// Starts the probes of the targets that are due now. Targets no longer given are forgotten; a target whose check
    /// changed starts over. Not to be called concurrently.
    /// </summary>
    public void RunDue(IReadOnlyCollection<ProbeTarget> targets, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            given.Add(target.Key);
            var interval = Ticks(target.Check.Interval);
            if (!_entries.TryGetValue(target.Key, out var entry) || entry.Check != target.Check)
            {
                entry = new Entry(target.Check, now + Offset(target.Key, interval));
                _entries[target.Key] = entry;
            }

            entry.Target = target;

            if (entry.Due > now || entry.Running is { IsCompleted: false })
            {
                continue;
            }

            // The next due point in this instance's phase: a stall skips the intervals it missed instead of bunching.
            entry.Due += ((now - entry.Due) / interval + 1) * interval;
            entry.Running = ProbeAsync(entry, cancellationToken);
        }

        foreach (var gone in _entries.Keys.Where(key => !given.Contains(key)).ToList())
        {
            _entries.Remove(gone);
        }
    }

    /// <summary>Completes when every probe started so far has completed.</summary>
    public Task IdleAsync() => Task.WhenAll(_entries.Values.Select(entry => entry.Running ?? Task.CompletedTask));

    private async Task ProbeAsync(Entry entry, CancellationToken cancellationToken)
    {
        var target = entry.Target;
        await _slots.WaitAsync(cancellationToken);
        ProbeResult result;
        try
        {
            result = await probe.ProbeAsync(target.Address, target.Port, target.Check, cancellationToken);
        }
        finally
        {
            _slots.Release();
        }

        // One probe of an instance at a time: its verdict is never counted from two threads. It counts against the
        // health the instance has now, which may have changed while the probe ran.
        target = entry.Target;
        if (!result.Inconclusive && entry.Verdict.Record(result.Passed, target.Healthy, target.Check) is { } healthy)
        {
            await flipped(new ProbeFlip(target, healthy, result.Detail), cancellationToken);
        }
    }

    /// <summary>Where in its interval an instance's probes fall: the same for the same key on every node.</summary>
    private static long Offset(string key, long interval) =>
        (long)(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(key)) % (ulong)Math.Max(1, interval));

    private long Ticks(TimeSpan span) => Math.Max(1, (long)(span.TotalSeconds * time.TimestampFrequency));

    public void Dispose() => _slots.Dispose();

    private sealed class Entry(ProbeDefinition check, long due)
    {
        public ProbeDefinition Check { get; } = check;

        public long Due { get; set; } = due;

        /// <summary>The target as last given: its health as the registry holds it now.</summary>
        public ProbeTarget Target { get; set; } = null!;

        public ProbeVerdict Verdict { get; } = new();

        public Task? Running { get; set; }
    }
}
