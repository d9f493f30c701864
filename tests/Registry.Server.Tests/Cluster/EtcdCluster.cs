using System.Diagnostics;

namespace Registry.Server.Tests.Cluster;

/// <summary>
/// Real etcd members on free loopback ports with temporary data directories, for the tests of cluster mode: started
/// together as one cluster, each one killable on its own, all stopped and removed at the end.
/// </summary>
internal sealed class EtcdCluster : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<Member> _members;

    private EtcdCluster(List<Member> members) => _members = members;

    /// <summary>Client URLs of the members, in order.</summary>
    public IReadOnlyList<Uri> ClientUrls => [.. _members.Select(m => m.ClientUrl)];

    /// <summary>The endpoints as <c>Registry:Storage:Etcd:Endpoints</c> takes them.</summary>
    public string Endpoints => string.Join(',', _members.Select(m => Bare(m.ClientUrl)));

    /// <summary>Whether the etcd server is installed here (<c>.ci/run</c> installs it).</summary>
    public static bool Available => FindExecutable() is not null;

    /// <summary>
    /// Starts <paramref name="size"/> members as one cluster and waits until every one has a leader. A port found free
    /// can be taken by another process before its member binds it: a cluster whose member exits at start, or that is
    /// not healthy in time, is removed and started again on other ports.
    /// </summary>
    public static async Task<EtcdCluster> StartAsync(int size = 3)
    {
        const int Attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var members = Enumerable.Range(0, size)
                .Select(i => new Member($"m{i}", new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}"), new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}")))
                .ToList();
            var cluster = new EtcdCluster(members);
            var initial = string.Join(',', members.Select(m => $"{m.Name}={Bare(m.PeerUrl)}"));
            foreach (var member in members)
            {
                member.Start(FindExecutable() ?? throw new InvalidOperationException("etcd is not installed."), cluster._dir.File(member.Name), initial);
            }

            var healthy = await Task.WhenAll(members.Select(m => m.WaitUntilHealthyAsync(TimeSpan.FromSeconds(30))));
            if (healthy.All(ok => ok))
            {
                return cluster;
            }

            var output = string.Join('\n', members.Select(m => $"{m.Name}: {m.LastOutput}"));
            await cluster.DisposeAsync();
            if (attempt == Attempts)
            {
                throw new InvalidOperationException($"etcd did not start as a cluster in {Attempts} attempts; the last one said:\n{output}");
            }
        }
    }

    /// <summary>SIGKILL to member <paramref name="index"/>: it stops at once, as a crash would.</summary>
    public void Kill(int index) => _members[index].Kill();

    /// <summary>Starts killed member <paramref name="index"/> again on its data directory: it rejoins the cluster.</summary>
    public void Restart(int index) => _members[index].Restart();

    public async ValueTask DisposeAsync()
    {
        foreach (var member in _members)
        {
            member.Kill();
        }

        await Task.WhenAll(_members.Select(m => m.WaitForExitAsync()));
        _dir.Dispose();
    }

    /// <summary>A URL as etcd takes it: without a path, not even "/".</summary>
    private static string Bare(Uri url) => url.GetLeftPart(UriPartial.Authority);

    private static string? FindExecutable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "etcd"))
            .FirstOrDefault(File.Exists);

    private sealed class Member(string name, Uri clientUrl, Uri peerUrl)
    {
        private Process? _process;
        private (string Executable, string DataDir, string InitialCluster)? _started;

        public string Name => name;

        public Uri ClientUrl => clientUrl;

        public Uri PeerUrl => peerUrl;

        public void Restart()
        {
            var (executable, dataDir, initialCluster) = _started ?? throw new InvalidOperationException($"etcd member {name} never started.");
            Start(executable, dataDir, initialCluster);
        }

        public void Start(string executable, string dataDir, string initialCluster)
        {
            _started = (executable, dataDir, initialCluster);
            var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[]
            {
                "--name", name, "--data-dir", dataDir,
                "--listen-client-urls", Bare(ClientUrl), "--advertise-client-urls", Bare(ClientUrl),
                "--listen-peer-urls", Bare(PeerUrl), "--initial-advertise-peer-urls", Bare(PeerUrl),
                "--initial-cluster", initialCluster, "--initial-cluster-state", "new", "--initial-cluster-token", "registry-tests",
                "--heartbeat-interval", "100", "--election-timeout", "1000",
            })
            {
                start.ArgumentList.Add(argument);
            }

            _process = Process.Start(start) ?? throw new InvalidOperationException($"etcd member {name} did not start.");

            // Drained, so a chatty member never blocks on a full pipe; its last line kept to say why it did not start.
            _process.OutputDataReceived += (_, e) => LastOutput = e.Data ?? LastOutput;
            _process.ErrorDataReceived += (_, e) => LastOutput = e.Data ?? LastOutput;
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string LastOutput { get; private set; } = "";

        /// <summary>Whether the member says it is healthy within <paramref name="limit"/>; false at once if it exited.</summary>
        public async Task<bool> WaitUntilHealthyAsync(TimeSpan limit)
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var health = new Uri(ClientUrl, "/health");
            var started = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(started) < limit && _process is { HasExited: false })
            {
                try
                {
                    if ((await client.GetStringAsync(health)).Contains("\"health\":\"true\"", StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // Not serving yet.
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50));
            }

            return false;
        }

        public void Kill()
        {
            if (_process is { HasExited: false })
            {
                _process.Kill();
            }
        }

        public Task WaitForExitAsync() => _process?.WaitForExitAsync() ?? Task.CompletedTask;
    }
}
