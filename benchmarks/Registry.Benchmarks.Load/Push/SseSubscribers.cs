using System.Buffers.Text;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Registry.Benchmarks.Load.Push;

/// <summary>
/// Many SSE subscribers of one config key on raw sockets (an HttpClient per subscriber would cost more than
/// the server it measures). Publish number i carries the content <c>@push#i#</c>; each subscriber notes the
/// time it first reads the marker of each publish.
/// </summary>
internal sealed class SseSubscribers : IAsyncDisposable
{
    private static readonly byte[] Marker = "@push#"u8.ToArray();

    private readonly Subscriber[] _subscribers;
    private readonly int[] _delivered;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _readers = [];

    private SseSubscribers(int count, int publishes)
    {
        _subscribers = new Subscriber[count];
        _delivered = new int[publishes];
    }

    public int Count => _subscribers.Length;

    /// <summary>Opens <paramref name="count"/> watches of <paramref name="pathAndQuery"/> and returns once every one has its response headers.</summary>
    public static async Task<SseSubscribers> ConnectAsync(
        Uri server, string pathAndQuery, int count, int publishes, CancellationToken cancellationToken)
    {
        var subscribers = new SseSubscribers(count, publishes);
        var request = Encoding.ASCII.GetBytes(
            $"GET {pathAndQuery} HTTP/1.1\r\nHost: {server.Authority}\r\nAccept: text/event-stream\r\n\r\n");
        using var connecting = new SemaphoreSlim(200);
        var opened = new Task[count];
        for (var i = 0; i < count; i++)
        {
            var index = i;
            opened[i] = Task.Run(async () =>
            {
                await connecting.WaitAsync(cancellationToken);
                try
                {
                    var subscriber = new Subscriber(publishes);
                    await subscriber.OpenAsync(server, request, cancellationToken);
                    subscribers._subscribers[index] = subscriber;
                }
                finally
                {
                    connecting.Release();
                }
            }, cancellationToken);
        }

        try
        {
            await Task.WhenAll(opened);
        }
        catch
        {
            await subscribers.DisposeAsync();
            throw;
        }

        foreach (var subscriber in subscribers._subscribers)
        {
            subscribers._readers.Add(subscriber.ReadAsync(subscribers.OnDelivered, subscribers._stop.Token));
        }

        return subscribers;
    }

    /// <summary>Waits until every subscriber has read publish <paramref name="publish"/>, or the timeout; returns how many have.</summary>
    public async Task<int> WaitForAsync(int publish, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Volatile.Read(ref _delivered[publish]) < Count && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
        }

        return Volatile.Read(ref _delivered[publish]);
    }

    /// <summary>When each subscriber read publish <paramref name="publish"/> (Stopwatch ticks; 0 when it never did).</summary>
    public IEnumerable<long> ReceivedAt(int publish) => _subscribers.Select(s => s.ReceivedAt[publish]);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var subscriber in _subscribers)
        {
            subscriber?.Dispose();
        }

        await Task.WhenAll(_readers.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stop.Dispose();
    }

    private void OnDelivered(int publish) => Interlocked.Increment(ref _delivered[publish]);

    private sealed class Subscriber(int publishes) : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        private readonly byte[] _buffer = new byte[8192];
        private int _carried;

        public long[] ReceivedAt { get; } = new long[publishes];

        public async Task OpenAsync(Uri server, byte[] request, CancellationToken cancellationToken)
        {
            await _socket.ConnectAsync(server.Host, server.Port, cancellationToken);
            await _socket.SendAsync(request, SocketFlags.None, cancellationToken);

            // The status line and headers come before any event: the watch is subscribed by then.
            var received = 0;
            while (received < 12)
            {
                var read = await _socket.ReceiveAsync(_buffer.AsMemory(received), SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    throw new InvalidOperationException("The server closed a watch before answering.");
                }

                received += read;
            }

            if (!_buffer.AsSpan(0, received).StartsWith("HTTP/1.1 200"u8))
            {
                throw new InvalidOperationException($"A watch was refused: {Encoding.ASCII.GetString(_buffer, 0, Math.Min(received, 200))}");
            }

            _carried = 0;
        }

        public async Task ReadAsync(Action<int> onDelivered, CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var read = await _socket.ReceiveAsync(_buffer.AsMemory(_carried), SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    return;
                }

                var now = Stopwatch.GetTimestamp();
                var data = _buffer.AsSpan(0, _carried + read);
                var consumed = Scan(data, now, onDelivered);

                // Keep what might be the start of a marker cut off by the end of this read.
                var keep = Math.Min(data.Length - consumed, Marker.Length + 12);
                data[^keep..].CopyTo(_buffer);
                _carried = keep;
            }
        }

        private int Scan(ReadOnlySpan<byte> data, long now, Action<int> onDelivered)
        {
            var position = 0;
            while (true)
            {
                var found = data[position..].IndexOf(Marker);
                if (found < 0)
                {
                    return position;
                }

                var start = position + found + Marker.Length;
                var end = data[start..].IndexOf((byte)'#');
                if (end < 0)
                {
                    return position + found;
                }

                if (Utf8Parser.TryParse(data.Slice(start, end), out int publish, out _) && publish < ReceivedAt.Length
                    && ReceivedAt[publish] == 0)
                {
                    ReceivedAt[publish] = now;
                    onDelivered(publish);
                }

                position = start + end + 1;
            }
        }

        public void Dispose() => _socket.Dispose();
    }
}
