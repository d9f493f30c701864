using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Registry.Server.Probes;

namespace Registry.Server.Tests.Probes;

/// <summary>Probes against real TCP and HTTP targets on loopback.</summary>
public sealed class ProberTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tcp_ListeningPort_Passes()
    {
        using var target = new TcpListener(IPAddress.Loopback, 0);
        target.Start();
        using var prober = new Prober(TimeProvider.System);

        var result = await prober.ProbeAsync(IPAddress.Loopback, Port(target), Check(ProbeKind.Tcp), Ct);

        Assert.True(result.Passed, result.Detail);
    }

    [Fact]
    public async Task Tcp_ClosedPort_Fails()
    {
        using var prober = new Prober(TimeProvider.System);

        var result = await prober.ProbeAsync(IPAddress.Loopback, ServerProcess.FreePort(), Check(ProbeKind.Tcp), Ct);

        Assert.False(result.Passed);
    }

    [Theory]
    [InlineData("200 OK", true)]
    [InlineData("204 No Content", true)]
    [InlineData("302 Found", false)]
    [InlineData("500 Internal Server Error", false)]
    public async Task Http_Answer_PassesOnlyOn2xxAndFollowsNoRedirect(string status, bool passes)
    {
        using var target = new TcpListener(IPAddress.Loopback, 0);
        target.Start();
        var served = AnswerOnceAsync(target, $"HTTP/1.1 {status}\r\nLocation: http://10.255.255.1/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        using var prober = new Prober(TimeProvider.System);

        var result = await prober.ProbeAsync(IPAddress.Loopback, Port(target), Check(ProbeKind.Http) with { Path = "/healthz" }, Ct);

        Assert.Equal(passes, result.Passed);
        Assert.StartsWith("GET /healthz HTTP/1.1", await served, StringComparison.Ordinal);
    }

    [Fact]
    public void IsLocal_OutOfSocketsOrBuffersHoweverWrapped_IsTheServersOwnFailure()
    {
        Assert.True(Prober.IsLocal(new SocketException((int)SocketError.TooManyOpenSockets)));
        Assert.True(Prober.IsLocal(new HttpRequestException("no socket", new SocketException((int)SocketError.NoBufferSpaceAvailable))));
        Assert.False(Prober.IsLocal(new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.False(Prober.IsLocal(new IOException("reset")));
    }

    // A prober that kept connections would leave the target waiting for the close: bounded, so that fails rather than hangs.
    [Fact(Timeout = 60_000)]
    public async Task Http_TargetThatKeepsConnectionsAlive_EachProbeClosesItsOwn()
    {
        var ct = TestContext.Current.CancellationToken;
        using var target = new TcpListener(IPAddress.Loopback, 0);
        target.Start();
        using var prober = new Prober(TimeProvider.System);

        var served = AnswerOnceAsync(target, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", thenReadToEnd: true);
        var first = await prober.ProbeAsync(IPAddress.Loopback, Port(target), Check(ProbeKind.Http), ct);
        var head = await served;
        // A second probe cannot ride the first's connection: that one is closed, so this one is accepted anew.
        var again = AnswerOnceAsync(target, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", thenReadToEnd: true);
        var second = await prober.ProbeAsync(IPAddress.Loopback, Port(target), Check(ProbeKind.Http), ct);
        await again;

        Assert.True(first.Passed && second.Passed);
        Assert.Contains("Connection: close", head, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Http_TargetThatNeverAnswers_FailsAtTheTimeout()
    {
        using var target = new TcpListener(IPAddress.Loopback, 0);
        target.Start();
        var time = new FakeTimeProvider();
        using var prober = new Prober(time);

        var probing = prober.ProbeAsync(IPAddress.Loopback, Port(target), Check(ProbeKind.Http) with { Timeout = TimeSpan.FromMilliseconds(300) }, Ct);
        // Accepted and never answered: a target that hangs, until the timeout passes on the server's clock.
        using var accepted = await target.AcceptTcpClientAsync(Ct);
        Assert.False(probing.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(300));
        var result = await probing;

        Assert.False(result.Passed);
        Assert.Equal("no answer within 300 ms", result.Detail);
    }

    private static ProbeDefinition Check(ProbeKind kind) =>
        new(kind, null, "/", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), FailuresToUnhealthy: 3, SuccessesToHealthy: 2);

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>
    /// Reads one request's head and writes <paramref name="answer"/>, then, if <paramref name="thenReadToEnd"/>, waits for
    /// the client to close the connection; returns the request line and headers.
    /// </summary>
    private static async Task<string> AnswerOnceAsync(TcpListener listener, string answer, bool thenReadToEnd = false)
    {
        using var client = await listener.AcceptTcpClientAsync(Ct);
        var stream = client.GetStream();
        var head = new StringBuilder();
        var buffer = new byte[1024];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, Ct);
            if (read == 0)
            {
                break;
            }

            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), Ct);
        while (thenReadToEnd && await stream.ReadAsync(buffer, Ct) > 0)
        {
        }

        return head.ToString();
    }
}
