using System.Net;
using System.Net.Sockets;

namespace Registry.Server.Probes;

/// <summary>
/// Runs one probe against an address. HTTP probes follow no redirect and use no proxy: they reach exactly the
/// address that was allowed. Each probe connects anew and closes when done (<c>Connection: close</c>): no connection
/// is held open to thousands of checked instances between probes, so the sockets in use are bounded by the probes in
/// flight, and every probe also tests that the instance accepts connections. A probe that takes longer than its
/// timeout (on <paramref name="time"/>) fails; none throws.
/// </summary>
internal sealed class Prober(TimeProvider time) : IProbe, IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.Zero,
        ConnectTimeout = Timeout.InfiniteTimeSpan,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<ProbeResult> ProbeAsync(IPAddress address, int port, ProbeDefinition check, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(check.Timeout, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return check.Kind == ProbeKind.Tcp
                ? await ConnectAsync(address, port, bounded.Token)
                : await GetAsync(address, port, check.Path, bounded.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(false, $"no answer within {check.Timeout.TotalMilliseconds:F0} ms");
        }
        catch (Exception error) when (error is SocketException or HttpRequestException or IOException)
        {
            return IsLocal(error) ? ProbeResult.Local(error.Message) : new ProbeResult(false, error.Message);
        }
    }

    private static async Task<ProbeResult> ConnectAsync(IPAddress address, int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
        return new ProbeResult(true, "connected");
    }

    private async Task<ProbeResult> GetAsync(IPAddress address, int port, string path, CancellationToken cancellationToken)
    {
        var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{host}:{port}{path}"));
        request.Headers.ConnectionClose = true;
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var status = (int)response.StatusCode;
        return new ProbeResult(status is >= 200 and < 300, $"HTTP {status}");
    }

    /// <summary>Whether the probe failed for want of this server's own resources (descriptors, buffers), not the instance's.</summary>
    internal static bool IsLocal(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable })
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose() => _http.Dispose();
}
