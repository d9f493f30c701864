using System.Text.Json;

namespace Registry.Server.Tests;

/// <summary>One server-sent event as a client parses it.</summary>
internal sealed record SseEvent(string? Id, string Event, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;
}

/// <summary>Reads a live server-sent event stream line by line, the way an EventSource does.</summary>
internal sealed class SseReader(Stream stream) : IAsyncDisposable
{
    private readonly StreamReader _reader = new(stream);

    /// <summary>Comments (keep-alives) seen so far.</summary>
    public List<string> Comments { get; } = [];

    public static async Task<(HttpResponseMessage Response, SseReader Reader)> OpenAsync(
        HttpClient client, string path, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"watch: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return (response, new SseReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken)));
    }

    /// <summary>
    /// The next event; null when the stream ends. The bound on the wait is generous, only there so that a server
    /// that never sends fails the test instead of hanging it.
    /// </summary>
    public async Task<SseEvent?> NextAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        string? id = null, type = null;
        var data = new List<string>();
        while (await _reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (type is null && data.Count == 0)
                {
                    continue;
                }

                return new SseEvent(id, type ?? "message", string.Join('\n', data));
            }

            if (line.StartsWith(':'))
            {
                Comments.Add(line);
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Add(line[6..]);
            }
        }

        return null;
    }

    /// <summary>The next <paramref name="count"/> events, in order.</summary>
    public async Task<List<SseEvent>> NextAsync(int count)
    {
        var events = new List<SseEvent>();
        while (events.Count < count && await NextAsync() is { } next)
        {
            events.Add(next);
        }

        return events;
    }

    /// <summary>Reads until a comment arrives (keep-alives come between events).</summary>
    public async Task<string> NextCommentAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (await _reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(':'))
            {
                return line;
            }
        }

        throw new EndOfStreamException("The stream ended without a comment.");
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        return ValueTask.CompletedTask;
    }
}
