using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Registry.Server.Tests;

/// <summary>Tests that start server processes run alone: a child process briefly holds every open file of the
/// test host while it starts, which would trip the data-file lock of tests running beside them.</summary>
[CollectionDefinition(nameof(ServerProcesses), DisableParallelization = true)]
public sealed class ServerProcesses;

/// <summary>
/// The real server as a separate process on a free loopback port, for what only a process can show:
/// a SIGKILL in the middle of acknowledged writes.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output;

    private ServerProcess(Process process, Uri address, System.Text.StringBuilder output)
    {
        _process = process;
        Address = address;
        _output = output;
    }

    public Uri Address { get; }

    /// <summary>What the server wrote so far (warnings and errors; information is not logged).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the server on loopback and waits until it is ready.</summary>
    public static Task<ServerProcess> StartAsync(string workingDirectory, params string[] arguments) =>
        StartOnAsync(workingDirectory, "127.0.0.1", arguments);

    /// <summary>Starts the server listening on <paramref name="bindHost"/> (reached through loopback) and waits until it is ready.</summary>
    public static Task<ServerProcess> StartOnAsync(string workingDirectory, string bindHost, params string[] arguments) =>
        StartOnPortAsync(workingDirectory, bindHost, FreePort(), arguments);

    /// <summary>Starts the server on a given loopback port: a restart at the address its clients know.</summary>
    public static Task<ServerProcess> StartOnPortAsync(string workingDirectory, int port, params string[] arguments) =>
        StartOnPortAsync(workingDirectory, "127.0.0.1", port, arguments);

    /// <summary>Starts the server with at most <paramref name="fileLimit"/> open file descriptors (Linux, with prlimit).</summary>
    public static Task<ServerProcess> StartWithFileLimitAsync(string workingDirectory, int fileLimit, params string[] arguments) =>
        StartOnPortAsync(workingDirectory, "127.0.0.1", FreePort(), arguments, fileLimit);

    private static async Task<ServerProcess> StartOnPortAsync(
        string workingDirectory, string bindHost, int port, string[] arguments, int? fileLimit = null)
    {
        var output = new System.Text.StringBuilder();
        var process = Launch(workingDirectory, new Uri($"http://{bindHost}:{port}"), arguments, fileLimit, line =>
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        });
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"), output);
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>Runs the server until it exits by itself (a start that must fail, a command); returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RunToExitAsync(string workingDirectory, params string[] arguments) =>
        RunOnToExitAsync(workingDirectory, "127.0.0.1", arguments);

    /// <summary>As <see cref="RunToExitAsync(string, string[])"/>, listening on <paramref name="bindHost"/>.</summary>
    public static Task<(int ExitCode, string Output)> RunOnToExitAsync(string workingDirectory, string bindHost, params string[] arguments) =>
        RunToExitAsync(workingDirectory, new Uri($"http://{bindHost}:{FreePort()}"), arguments);

    /// <summary>As <see cref="RunToExitAsync(string, string[])"/>, on a given address (one that is taken, say).</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string workingDirectory, Uri address, params string[] arguments)
    {
        var output = new System.Text.StringBuilder();
        using var process = Launch(workingDirectory, address, arguments, fileLimit: null, line =>
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, output.ToString());
    }

    private static Process Launch(string workingDirectory, Uri address, string[] arguments, int? fileLimit, Action<string> onLine)
    {
        var start = new ProcessStartInfo(fileLimit is null ? "dotnet" : "prlimit")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (fileLimit is { } limit)
        {
            start.ArgumentList.Add($"--nofile={limit}:{limit}");
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Registry.Server.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Options go after a command's own arguments (hash-token <secret>).
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString());
        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");

        var process = Process.Start(start) ?? throw new InvalidOperationException("The server did not start.");
        process.OutputDataReceived += (_, e) => onLine(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => onLine(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits (at most 30 s) for the server to exit by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public HttpClient CreateClient() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>SIGTERM: the graceful shutdown an orchestrator asks for; <see cref="WaitForExitAsync"/> for its end.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>SIGKILL: no shutdown code runs, nothing is flushed.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited at start with code {_process.ExitCode}:{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The server did not become ready within 60 s.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
