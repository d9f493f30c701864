using Microsoft.Extensions.Options;

namespace Registry.Server.Naming;

/// <summary>
/// Decides whether a sweep may evict. When it would evict more than the configured share of the ephemeral
/// instances at once, the server assumes its own network is at fault and holds the evictions back. It
/// leaves the mode by itself as soon as a sweep would evict no more than that share (beats came back), or
/// after <see cref="SelfPreservationOptions.MaxHold"/>, so the mode never sticks.
/// </summary>
internal sealed partial class SelfPreservation(IOptions<NamingOptions> options, TimeProvider time, ILogger<SelfPreservation> logger)
{
    private readonly SelfPreservationOptions _options = options.Value.SelfPreservation;
    private readonly Lock _lock = new();
    private SelfPreservationState _state = SelfPreservationState.Inactive;

    public SelfPreservationState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>
    /// True when <paramref name="expired"/> of <paramref name="total"/> ephemeral instances must be kept at
    /// <paramref name="now"/>, a timestamp of the monotonic clock (the hold is timed on it). In a cluster,
    /// <paramref name="lapsedElsewhere"/> instances that other nodes own are unhealthy and count toward the share too.
    /// </summary>
    public bool ShouldHold(int expired, int lapsedElsewhere, int total, long now)
    {
        lock (_lock)
        {
            var lapsed = expired + lapsedElsewhere;
            var massExpiry = _options.Enabled && expired > 0 && total >= _options.MinInstances
                && lapsed > _options.Threshold * total;
            if (!massExpiry)
            {
                if (_state.Active)
                {
                    LogEnded(expired, total, time.GetElapsedTime(_state.SinceTimestamp, now));
                    _state = SelfPreservationState.Inactive;
                }

                return false;
            }

            if (!_state.Active)
            {
                LogStarted(expired, total, _options.Threshold);
                _state = new SelfPreservationState(true, time.GetUtcNow(), expired, total) { SinceTimestamp = now };
                return true;
            }

            if (time.GetElapsedTime(_state.SinceTimestamp, now) >= _options.MaxHold)
            {
                LogReleased(expired, total, _options.MaxHold);
                _state = SelfPreservationState.Inactive;
                return false;
            }

            _state = _state with { HeldInstances = expired, EphemeralInstances = total };
            return true;
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning,
        Message = "Self-preservation on: {Expired} of {Total} ephemeral instances expired at once (more than {Threshold:P0}); evictions are held back")]
    private partial void LogStarted(int expired, int total, double threshold);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning,
        Message = "Self-preservation off after {Duration}: {Expired} of {Total} ephemeral instances are expired now; evictions resume")]
    private partial void LogEnded(int expired, int total, TimeSpan duration);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning,
        Message = "Self-preservation released after its maximum hold of {MaxHold}: evicting {Expired} of {Total} ephemeral instances")]
    private partial void LogReleased(int expired, int total, TimeSpan maxHold);
}

/// <summary>Whether evictions are held back, since when, and how many instances are kept that way.</summary>
internal sealed record SelfPreservationState(bool Active, DateTimeOffset? Since, int HeldInstances, int EphemeralInstances)
{
    /// <summary>When it began, on the monotonic clock that times the hold; <see cref="Since"/> is for display.</summary>
    public long SinceTimestamp { get; init; }

    public static SelfPreservationState Inactive { get; } = new(false, null, 0, 0);
}
