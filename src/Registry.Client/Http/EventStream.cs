using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Polly.Retry;

namespace Registry.Client.Http;

/// <summary>
/// The registry's server-sent event streams: one read of a stream (<see cref="ReadAsync"/>), and following a
/// watch for good (<see cref="FollowAsync"/>): resumed with <c>Last-Event-ID</c> after it ends, reconnected
/// with backoff after a failure.
/// </summary>
internal static class EventStream
{
    /// <summary>The named client for streams: no request timeout, the token handler, no retries (a stream is resumed instead).</summary>
    public const string HttpClientName = "Registry.Client.Watch";

    /// <summary>
    /// Reads one stream until it ends: the events after <paramref name="lastEventId"/> when resuming, then live ones;
    /// <paramref name="onConnected"/> once the registry accepted it (the events missed meanwhile follow).
    /// </summary>
    public static async IAsyncEnumerable<SseItem<string>> ReadAsync(
        HttpClient http, Uri uri, string? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken, Action? onConnected = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await RegistryException.ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        onConnected?.Invoke();
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var disposeBody = body.ConfigureAwait(false);
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    /// <summary>
    /// Follows a watch until <paramref name="stop"/>: every event goes to <paramref name="onEvent"/>; a stream
    /// that delivered events and ended is resumed at once from its last event id; one that failed, delivered
    /// nothing or asked for a reset (then from the full state again) is reconnected with <see cref="Backoff"/>,
    /// waiting at most <paramref name="maxDelay"/>, calling <paramref name="onRetry"/> first; <paramref name="onConnected"/>
    /// each time a stream is accepted.
    /// </summary>
    public static async Task FollowAsync(
        Func<HttpClient> http, Uri uri, Action<SseItem<string>> onEvent, TimeProvider time, TimeSpan maxDelay,
        Func<OnRetryArguments<object>, ValueTask>? onRetry, CancellationToken stop, Action? onConnected = null)
    {
        string? lastEventId = null;
        var reconnect = Backoff.Forever(time, maxDelay, static _ => true, onRetry);
        try
        {
            while (true)
            {
                // Each stream that delivered events and then ended starts over with a fresh backoff.
                await reconnect.ExecuteAsync(async ct => await ReadOnceAsync(ct).ConfigureAwait(false), stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping.
        }

        async Task ReadOnceAsync(CancellationToken cancellationToken)
        {
            var delivered = false;
            await foreach (var item in ReadAsync(http(), uri, lastEventId, cancellationToken, onConnected).ConfigureAwait(false))
            {
                delivered = true;
                if (item.EventType == "reset")
                {
                    // Events were missed: start over from the full state.
                    lastEventId = null;
                    throw new InvalidDataException($"The registry reset the watch {uri}.");
                }

                onEvent(item);
                lastEventId = item.EventId ?? lastEventId;
            }

            if (!delivered)
            {
                throw new InvalidDataException($"The registry ended the watch {uri} without an event.");
            }
        }
    }
}
