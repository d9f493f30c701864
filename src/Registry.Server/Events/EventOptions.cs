using FluentValidation;

namespace Registry.Server.Events;

/// <summary>The change feed and its server-sent event streams (section <c>Registry:Events</c>).</summary>
internal sealed class EventOptions
{
    public const string Section = "Registry:Events";

    /// <summary>How many events the feed keeps for resuming streams (<c>Last-Event-ID</c>).</summary>
    public int RetainedEvents { get; set; } = 10_000;

    /// <summary>How many bytes of event payload the feed keeps at most; the oldest go first.</summary>
    public long RetainedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How many events may wait for one slow stream before it is reset and disconnected.</summary>
    public int SubscriberBuffer { get; set; } = 1_000;

    /// <summary>How often an idle stream gets a comment, so proxies keep it open.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a stream that fell behind has to take its reset before the connection is cut.</summary>
    public TimeSpan OverflowGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Changes to one service within this window go out as one event with the latest state; 0 turns the window
    /// off (changes within one commit batch are still merged).
    /// </summary>
    public TimeSpan CoalesceWindow { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The reconnect delay sent to clients (the SSE <c>retry</c> field).</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(3);
}

internal sealed class EventOptionsValidator : AbstractValidator<EventOptions>
{
    public EventOptionsValidator()
    {
        RuleFor(o => o.RetainedEvents).InclusiveBetween(0, 10_000_000);
        RuleFor(o => o.RetainedBytes).InclusiveBetween(0, 16L * 1024 * 1024 * 1024);
        RuleFor(o => o.SubscriberBuffer).InclusiveBetween(1, 1_000_000);
        RuleFor(o => o.KeepAliveInterval).InclusiveBetween(TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        RuleFor(o => o.OverflowGrace).InclusiveBetween(TimeSpan.Zero, TimeSpan.FromMinutes(10));
        RuleFor(o => o.CoalesceWindow).InclusiveBetween(TimeSpan.Zero, TimeSpan.FromSeconds(10));
        RuleFor(o => o.ReconnectDelay).InclusiveBetween(TimeSpan.Zero, TimeSpan.FromHours(1));
    }
}
