using System.Diagnostics;

using Registry.Benchmarks.Load.Hosting;

namespace Registry.Benchmarks.Load.Cluster;

/// <summary>An etcd cluster of real members on free loopback ports, with their data under one directory; removed at the end.</summary>
internal sealed class EtcdMembers : IAsyncDisposable
{
    private readonly List<Process> _processes;

    private EtcdMembers(List<Process> processes, IReadOnlyList<Uri> clientUrls)
    {
        _processes = processes;
        ClientUrls = clientUrls;
    }

    public IReadOnlyList<Uri> ClientUrls { get; }

    /// <summary>As <c>Registry:Storage:Etcd:Endpoints</c> takes them.</summary>
    public string Endpoints => string.Join(',', ClientUrls.Select(static url => url.GetLeftPart(UriPartial.Authority)));

    public static string? Executable =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "etcd"))
            .FirstOrDefault(File.Exists);

    public static async Task<EtcdMembers> StartAsync(int size, string directory, CancellationToken cancellationToken)
    {
        var executable = Executable ?? throw new InvalidOperationException("etcd is not installed (apt-get install etcd-server).");
        var members = Enumerable.Range(0, size)
            .Select(i => (Name: $"m{i}", Client: $"http://127.0.0.1:{AppProcess.FreePort()}", Peer: $"http://127.0.0.1:{AppProcess.FreePort()}"))
            .ToList();
        var initial = string.Join(',', members.Select(static m => $"{m.Name}={m.Peer}"));
        var processes = new List<Process>();
        foreach (var (name, client, peer) in members)
        {
            var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[]
            {
                "--name", name, "--data-dir", Path.Combine(directory, name),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", initial, "--initial-cluster-state", "new", "--initial-cluster-token", "registry-bench",
                "--max-request-bytes", "4194304",
            })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException($"etcd member {name} did not start.");
            process.OutputDataReceived += static (_, _) => { };
            process.ErrorDataReceived += static (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            processes.Add(process);
        }

        var cluster = new EtcdMembers(processes, [.. members.Select(static m => new Uri(m.Client))]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        foreach (var url in cluster.ClientUrls)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(30 * Stopwatch.Frequency);
            while (true)
            {
                try
                {
                    if ((await http.GetStringAsync(new Uri(url, "/health"), cancellationToken)).Contains("\"health\":\"true\"", StringComparison.Ordinal))
                    {
                        break;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && Stopwatch.GetTimestamp() < deadline)
                {
                    // Not up yet.
                }

                await Task.Delay(200, cancellationToken);
            }
        }

        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}
