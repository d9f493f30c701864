using System.Net;
using System.Net.Sockets;
using System.Text;
using Registry.Server.Infrastructure;

namespace Registry.Server.Tests.Infrastructure;

/// <summary>
/// Idle connections cannot exhaust the process's file descriptors: beyond a cap derived from the limit, new ones are
/// closed at once, those already open are served, and it is logged once.
/// </summary>
[Collection(nameof(ServerProcesses))]
public sealed class ConnectionLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IdleConnections_MoreThanTheFileLimitAllows_AreShedWhileTheFirstAreServed()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && File.Exists("/usr/bin/prlimit"), "Needs Linux and prlimit.");
        using var dir = new TempDirectory();
        await using var server = await ServerProcess.StartWithFileLimitAsync(dir.Path, 512);
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < 400; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                try
                {
                    await socket.ConnectAsync(IPAddress.Loopback, server.Address.Port, Ct);
                }
                catch (SocketException)
                {
                    // Shed before the connect even completed.
                }
            }

            await Eventually.TrueAsync(() => server.Output.Contains("[1050]", StringComparison.Ordinal), "the cap logged");
            Assert.StartsWith("HTTP/1.1 200", await GetOnAsync(sockets[0]), StringComparison.Ordinal);
            Assert.Equal("", await GetOnAsync(sockets[^1]));
        }
        finally
        {
            sockets.ForEach(socket => socket.Dispose());
        }

        using var client = server.CreateClient();
        await Eventually.TrueAsync(async () => (await client.GetAsync("/healthz", Ct)).StatusCode == HttpStatusCode.OK, "serving again");
        Assert.Single(server.Output.Split('\n'), line => line.Contains("[1050]", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 1024, 212, 0, 684)]
    [InlineData(100, 1024, 212, 0, 100)]
    [InlineData(5000, 1024, 212, 0, 684)]
    [InlineData(0, 1024, 212, 64, 620)]
    [InlineData(0, 1_048_576, 300, 0, 1_047_252)]
    public void Cap_FileLimitOpenDescriptorsAndProbes_LeavesTheReserve(int configured, long fileLimit, int open, int probes, int cap) =>
        Assert.Equal(cap, ConnectionGate.Cap(configured, fileLimit, open, probes));

    [Fact]
    public void Cap_FileLimitTooLowToServe_RefusesToStartSayingWhatToRaise()
    {
        var refused = Assert.Throws<StartupException>(() => ConnectionGate.Cap(0, 256, 212, 0));

        Assert.Contains("file-descriptor limit (256) is too low", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>A request on a connection opened earlier: the start of its answer, or "" when the server closed it.</summary>
    private static async Task<string> GetOnAsync(Socket socket)
    {
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: registry\r\n\r\n"), Ct);
            var buffer = new byte[64];
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            var read = await socket.ReceiveAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (Exception ex) when (ex is SocketException or InvalidOperationException)
        {
            return "";
        }
    }
}
