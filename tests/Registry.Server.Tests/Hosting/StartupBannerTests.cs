namespace Registry.Server.Tests.Hosting;

/// <summary>Once it listens, the server says where, where Swagger UI is, whether auth is on and where its data lives.</summary>
[Collection(nameof(ServerProcesses))]
public sealed class StartupBannerTests
{
    [Fact]
    public async Task Start_InMemory_SaysAuthIsOffAndNothingIsKept()
    {
        using var dir = new TempDirectory();

        await using var server = await ServerProcess.StartAsync(dir.Path,
            "--Registry:Storage:Path=:memory:", "--Logging:LogLevel:Registry.Server.Hosting.StartupBanner=Information");

        await Eventually.TrueAsync(() => server.Output.Contains("Swagger UI at", StringComparison.Ordinal), "the banner");
        Assert.Contains($"Swagger UI at {server.Address.GetLeftPart(UriPartial.Authority)}/swagger", server.Output, StringComparison.Ordinal);
        Assert.Contains("auth off", server.Output, StringComparison.Ordinal);
        Assert.Contains("nothing is kept after the server stops", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PortTaken_SaysSoInOneLineAndExits1()
    {
        using var dir = new TempDirectory();
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var address = new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)taken.LocalEndpoint).Port}");

        var (exitCode, output) = await ServerProcess.RunToExitAsync(dir.Path, address, "--Registry:Storage:Path=:memory:");

        Assert.Equal(1, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var said = Assert.Single(lines);
        Assert.Contains("address already in use", said, StringComparison.Ordinal);
        Assert.Contains("--urls", said, StringComparison.Ordinal);
    }
}
