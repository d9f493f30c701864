using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Registry.Server.Tests.Probes;

/// <summary>
/// A target for health checks on loopback: it answers each HTTP request with the status <see cref="Status"/> gives for
/// its number, or accepts and never answers (<see cref="Hangs"/>), or stops listening (<see cref="StopListening"/>).
/// </summary>
internal sealed class LoopbackTarget : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _held = [];
    private Task _serving;
    private int _requests;

    public LoopbackTarget()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _serving = ServeAsync();
    }

    public int Port { get; }

    /// <summary>The status of the n-th request (from 1); 200 unless set.</summary>
    public Func<int, int> Status { get; set; } = _ => 200;

    /// <summary>Whether connections are accepted and then left without an answer.</summary>
    public bool Hangs { get; set; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _requests);

    /// <summary>Closes the port: connections are refused until <see cref="Listen"/>.</summary>
    public async Task StopListening()
    {
        _listener.Stop();
        await _serving;
    }

    public void Listen()
    {
        _listener.Start();
        _serving = ServeAsync();
    }

    private async Task ServeAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = AnswerAsync(client, Interlocked.Increment(ref _requests));
        }
    }

    private async Task AnswerAsync(TcpClient client, int number)
    {
        if (Hangs)
        {
            lock (_held)
            {
                _held.Add(client);
            }

            return;
        }

        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[1024];
                int read;
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal)
                       && (read = await stream.ReadAsync(buffer, _stop.Token)) > 0)
                {
                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                // A TCP check connects and closes: nothing to answer.
                if (head.Length > 0)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(
                        $"HTTP/1.1 {Status(number)} Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), _stop.Token);
                }
            }
            catch (Exception error) when (error is IOException or SocketException or OperationCanceledException)
            {
                // The probe gave up or the target is closing.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        lock (_held)
        {
            _held.ForEach(client => client.Dispose());
        }

        _stop.Dispose();
    }
}
