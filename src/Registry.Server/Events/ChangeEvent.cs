namespace Registry.Server.Events;

/// <summary>What a change is about: a config key, or a service of the naming tree.</summary>
/// <param name="Kind">The kind of thing, e.g. <c>config</c> or <c>service</c>.</param>
internal readonly record struct EventTopic(string Kind, string Namespace, string Group, string Name);

/// <summary>
/// What an event carries: immutable data built from the log alone (the state a change left), so a watch can be fed
/// by a log that lives in another process. Its JSON is rendered once, on first use, and shared by every subscriber;
/// a payload whose subscribers see it differently (a filter, per-client content) renders per variant itself.
/// </summary>
internal abstract class EventPayload
{
    private byte[]? _json;

    /// <summary>Approximate bytes held, for the feed's retention budget.</summary>
    public abstract int Size { get; }

    /// <summary>The event's data as every subscriber without a variant of its own sees it.</summary>
    public byte[] Json => _json ??= Render();

    protected abstract byte[] Render();
}

/// <summary>One applied change as the feed keeps it: its revision, its topic, the SSE event name and its payload.</summary>
internal sealed record ChangeEvent(long Revision, EventTopic Topic, string Type, EventPayload Payload)
{
    /// <summary>
    /// True when the payload is the whole current state of its topic, so a later event of the same topic and
    /// type makes this one redundant and bursts may be merged into the latest.
    /// </summary>
    public bool Coalescible { get; init; }

    public int Size => Payload.Size + 64;
}

/// <summary>One server-sent event, ready to write.</summary>
internal readonly record struct SseMessage(string Event, long Id, ReadOnlyMemory<byte> Data);
