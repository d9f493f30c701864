using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Registry.Server.Events;

/// <summary>
/// An open watch: a subscription to the feed and how its events become messages. Yields, in order, a
/// <c>reset</c> if the requested resume point is too old, the snapshot, the replay, then live events; a
/// subscriber that fell too far behind gets a final <c>reset</c> and the stream ends.
/// </summary>
internal sealed class Watch(Subscription subscription, Func<ChangeEvent, SseMessage?> render, IReadOnlyList<SseMessage> snapshot)
    : IDisposable
{
    public const string ResetEvent = "reset";

    /// <summary>Cancelled when the subscriber fell behind; the connection is cut if the reset cannot be written.</summary>
    public CancellationToken Overflowed => subscription.Overflowed;

    public long StartRevision => subscription.StartRevision;

    public async IAsyncEnumerable<SseMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            if (subscription.ResetReason is { } reason)
            {
                yield return Reset(reason, subscription.StartRevision);
            }

            foreach (var message in snapshot)
            {
                yield return message;
            }

            var last = subscription.StartRevision;
            foreach (var change in subscription.Replay)
            {
                last = change.Revision;
                if (render(change) is { } message)
                {
                    yield return message;
                }
            }

            var events = subscription.Events;
            while (await events.WaitToReadAsync(cancellationToken))
            {
                while (events.TryRead(out var change))
                {
                    last = change.Revision;
                    if (render(change) is { } message)
                    {
                        yield return message;
                    }
                }
            }

            if (subscription.Overflowed.IsCancellationRequested)
            {
                yield return Reset("overflow", last);
            }
        }
        finally
        {
            subscription.Dispose();
        }
    }

    public void Dispose() => subscription.Dispose();

    /// <summary>Tells the client to re-read its state; <paramref name="revision"/> is where to resume after that.</summary>
    private static SseMessage Reset(string reason, long revision) =>
        new(ResetEvent, revision, JsonSerializer.SerializeToUtf8Bytes(new ResetData(reason, revision), EventsJson.Default.ResetData));
}

internal sealed record ResetData(string Reason, long Revision);

/// <summary>The last event of a stream the server ended for a reason of the client's (its token revoked): no resume.</summary>
internal sealed record EndData(string Reason, string Detail);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ResetData))]
[System.Text.Json.Serialization.JsonSerializable(typeof(EndData))]
internal sealed partial class EventsJson : System.Text.Json.Serialization.JsonSerializerContext;
