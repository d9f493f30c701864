namespace Registry.Server.Events;

/// <summary>What a change is about: a config key, or a service of the naming tree.</summary>
/// <param name="Kind">The kind of thing, e.g. <c>config</c> or <c>service</c>.</param>
internal readonly record struct EventTopic(string Kind, string Namespace, string Group, string Name);

/// <summary>
/// One committed change as the feed keeps it: its revision, its topic, the SSE event name and a payload
/// that each stream renders (a config change carries its JSON, serialized once for every subscriber).
/// </summary>
/// <param name="Size">Approximate bytes held, for the feed's retention budget.</param>
internal sealed record ChangeEvent(long Revision, EventTopic Topic, string Type, object Payload, int Size)
{
    /// <summary>
    /// True when the payload is the whole current state of its topic, so a later event of the same topic and
    /// type makes this one redundant and bursts may be merged into the latest.
    /// </summary>
    public bool Coalescible { get; init; }
}

/// <summary>One server-sent event, ready to write.</summary>
internal readonly record struct SseMessage(string Event, long Id, ReadOnlyMemory<byte> Data);
