namespace Registry.Benchmarks.Load.Hosting;

/// <summary>One build of the registry server running as a process over its own data directory, with a client to set it up.</summary>
internal sealed class RegistryServer : IAsyncDisposable
{
    // Writes unthrottled, leases long enough that nothing expires while a scenario runs, and the server's
    // own load timing in the log (under the category of this build, or of an earlier one being compared).
    private static readonly string[] Arguments =
    [
        "--Registry:Storage:Path=registry.db",
        "--Registry:Limits:RateLimitEnabled=false",
        "--Registry:Naming:UnhealthyAfter=00:30:00",
        "--Registry:Naming:EvictAfter=01:00:00",
        "--Logging:LogLevel:Default=Warning",
        "--Logging:LogLevel:Registry.Server.Log.LogStartup=Information",
        "--Logging:LogLevel:Registry.Server.Storage.StoreLoader=Information",
    ];

    private RegistryServer(ServerBuild build, AppProcess process)
    {
        Build = build;
        Process = process;
        Client = process.CreateClient();
    }

    public ServerBuild Build { get; }

    public AppProcess Process { get; }

    public HttpClient Client { get; }

    /// <summary>Starts <paramref name="build"/> in <paramref name="directory"/> (where its store lives) and waits until it answers.</summary>
    public static async Task<RegistryServer> StartAsync(
        ServerBuild build, string directory, CancellationToken cancellationToken, IEnumerable<string>? arguments = null)
    {
        Directory.CreateDirectory(directory);
        var process = await AppProcess.StartAsync(build.AssemblyPath, directory, Arguments.Concat(arguments ?? []), "/healthz", cancellationToken);
        return new RegistryServer(build, process);
    }

    /// <summary>A graceful stop, so the store is complete for the next start.</summary>
    public Task StopAsync() => Process.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Process.DisposeAsync();
    }
}
