using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Registry.Benchmarks.Load.Hosting;

/// <summary>
/// A web app (a build of the registry server, the /ping baseline) running as its own process on a
/// free loopback port, so that its memory and start-up can be measured and its CPU is its own.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly long _startedAt;

    private AppProcess(Process process, Uri address, long startedAt)
    {
        _process = process;
        Address = address;
        _startedAt = startedAt;
    }

    private int _disposed;

    public Uri Address { get; }

    /// <summary>From starting the process to the first successful answer of the ready path.</summary>
    public TimeSpan StartedIn { get; private set; }

    /// <summary>Since the process was started; read when a condition of its start-up is first seen.</summary>
    public TimeSpan Uptime => Stopwatch.GetElapsedTime(_startedAt);

    /// <summary>Every line the process wrote.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    /// <summary>Starts <paramref name="assemblyPath"/> with <c>dotnet</c> and waits until <paramref name="readyPath"/> answers 200.</summary>
    public static async Task<AppProcess> StartAsync(
        string assemblyPath, string workingDirectory, IEnumerable<string> arguments, string readyPath, CancellationToken cancellationToken)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(assemblyPath);
        foreach (var argument in arguments.Append("--urls").Append(address.ToString()))
        {
            start.ArgumentList.Add(argument);
        }

        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{Path.GetFileName(assemblyPath)} did not start.");
        var app = new AppProcess(process, address, started);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await app.WaitUntilReadyAsync(readyPath, cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        app.StartedIn = app.Uptime;
        return app;
    }

    public HttpClient CreateClient() => new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false })
    {
        BaseAddress = Address,
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>The process's resident set size (VmRSS), bytes.</summary>
    public long ResidentBytes() => Status("VmRSS:") * 1024;

    /// <summary>The process's threads now.</summary>
    public int Threads() => (int)Status("Threads:");

    /// <summary>The CPU time the process has used so far, user and system.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>A number field of <c>/proc/[pid]/status</c>.</summary>
    private long Status(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>SIGTERM, then waits for the graceful shutdown to finish.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        // A process killed on purpose (a node of a cluster) is disposed again with the others.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }
    }

    private async Task WaitUntilReadyAsync(string readyPath, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"The process exited at start with code {_process.ExitCode}:\n{string.Join('\n', Output)}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(readyPath, UriKind.Relative), timeout.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }

    /// <summary>A loopback port free now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
