using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace Registry.Client.Http;

/// <summary>
/// Reads one server-sent event stream of the registry until it ends: the events after
/// <c>Last-Event-ID</c> when resuming, then live ones. Reconnecting is the caller's (with backoff).
/// </summary>
internal static class EventStream
{
    /// <summary>The named client for streams: no request timeout, the token handler, no retries (a stream is resumed instead).</summary>
    public const string HttpClientName = "Registry.Client.Watch";

    public static async IAsyncEnumerable<SseItem<string>> ReadAsync(
        HttpClient http, Uri uri, string? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await RegistryException.ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var disposeBody = body.ConfigureAwait(false);
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }
}
