using System.Net.Sockets;
using System.Text;
using Registry.Server.Events;
using Registry.Server.Tests.Config;

namespace Registry.Server.Tests.Events;

/// <summary>On a real socket (Kestrel), a subscriber that stops reading must cost nothing to anyone else.</summary>
public sealed class SlowSubscriberTests
{
    /// <summary>Only there so that a broken server fails the test instead of hanging it.</summary>
    private static readonly TimeSpan SocketBound = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Watch_StalledReader_DoesNotDelayWritersOrOtherWatchersAndIsCutOff()
    {
        await using var app = new RegistryApp(settings: new Dictionary<string, string?>
        {
            ["Registry:Events:SubscriberBuffer"] = "32",
            ["Registry:Events:OverflowGrace"] = "00:00:05",
        });
        app.StartOnKestrel();
        using var client = app.CreateClient();
        var feed = app.Service<ChangeFeed>();

        // A subscriber that never reads: a raw socket with a small receive window.
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await stalled.ConnectAsync("127.0.0.1", client.BaseAddress!.Port, Ct);
        await stalled.SendAsync(Encoding.ASCII.GetBytes($"GET /v1/configs/watch HTTP/1.1\r\nHost: {client.BaseAddress.Authority}\r\n\r\n"), Ct);

        var (response, healthy) = await SseReader.OpenAsync(client, "/v1/configs/watch");
        using var _ = response;
        await using var __ = healthy;
        await Eventually.TrueAsync(() => feed.SubscriberCount == 2, "watching with two streams");

        // Enough to fill the stalled socket's buffers (a few MiB on loopback) and then its stream's buffer.
        const int Publishes = 200;
        var content = new string('x', 64 * 1024);
        var received = Task.Run(() => healthy.NextAsync(Publishes), Ct);
        for (var i = 0; i < Publishes; i++)
        {
            await client.PublishAsync($"big-{i:D3}", content + i, "text/plain");
        }

        var events = await received;
        Assert.Equal(Enumerable.Range(0, Publishes).Select(i => $"big-{i:D3}"), events.Select(e => e.Json.GetProperty("dataId").GetString()));

        // The stalled one fell behind and was dropped; after the grace period its connection is cut.
        await Eventually.TrueAsync(() => feed.SubscriberCount == 1, "rid of the stalled stream");
        app.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(await ClosesAsync(stalled), "the stalled subscriber's connection was not closed");
    }

    [Fact]
    public async Task Watch_ReaderThatFallsBehindButReadsAgain_GetsAResetAndTheStreamEnds()
    {
        await using var app = new RegistryApp(settings: new Dictionary<string, string?>
        {
            ["Registry:Events:SubscriberBuffer"] = "2",
        });
        app.StartOnKestrel();
        using var client = app.CreateClient();
        var feed = app.Service<ChangeFeed>();
        using var slow = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await slow.ConnectAsync("127.0.0.1", client.BaseAddress!.Port, Ct);
        await slow.SendAsync(Encoding.ASCII.GetBytes($"GET /v1/configs/watch HTTP/1.1\r\nHost: {client.BaseAddress.Authority}\r\n\r\n"), Ct);
        await Eventually.TrueAsync(() => feed.SubscriberCount == 1, "watching");

        var content = new string('y', 64 * 1024);
        for (var i = 0; feed.SubscriberCount > 0 && i < 200; i++)
        {
            await client.PublishAsync($"big-{i:D3}", content + i, "text/plain");
        }

        Assert.Equal(0, feed.SubscriberCount);
        var text = await ReadResponseAsync(slow);
        Assert.Contains("event: reset", text, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"overflow\"", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n0\r\n\r\n", text, StringComparison.Ordinal);
    }

    private static async Task<bool> ClosesAsync(Socket socket)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(SocketBound);
        var buffer = new byte[64 * 1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Everything the server sends until the chunked response ends. It drains megabytes the socket buffered
    /// while the reader stalled, so it reads linearly and looks only at the tail for the end.
    /// </summary>
    private static async Task<string> ReadResponseAsync(Socket socket)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(SocketBound);
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        var end = "\r\n0\r\n\r\n"u8.ToArray();
        try
        {
            int read;
            // The response ends with the last chunk; the connection itself may stay open for reuse.
            while (!received.GetBuffer().AsSpan(0, (int)received.Length).EndsWith(end)
                && (read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            // Cut off or silent: what arrived is what counts.
        }

        return Encoding.ASCII.GetString(received.GetBuffer(), 0, (int)received.Length);
    }
}
