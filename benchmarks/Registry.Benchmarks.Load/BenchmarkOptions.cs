using System.Globalization;
using Registry.Benchmarks.Load.Hosting;

namespace Registry.Benchmarks.Load;

/// <summary>What to run and how hard; the defaults are the published benchmark.</summary>
internal sealed record BenchmarkOptions
{
    /// <summary>The markdown file to write the results into (its results section); none prints them only.</summary>
    public string? Output { get; init; }

    /// <summary><c>wrk</c>, <c>builtin</c>, or <c>auto</c> (wrk when it is on PATH).</summary>
    public string Generator { get; init; } = "auto";

    public int Connections { get; init; } = 64;

    /// <summary>
    /// wrk threads. One by default: on the 2-core machines the figures come from, a second wrk thread takes
    /// the core the server needs and every scenario (and /ping) measures the contention instead.
    /// </summary>
    public int Threads { get; init; } = 1;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Another build of the registry server (from a directory holding its <c>Registry.Server.dll</c>, e.g. the
    /// <c>dotnet build -c Release</c> output of an older commit), run beside this build in every scenario.
    /// </summary>
    public ServerBuild? Compare { get; init; }

    /// <summary>The builds every scenario runs on: this one first.</summary>
    public IReadOnlyList<ServerBuild> Builds => Compare is { } other ? [ServerBuild.This, other] : [ServerBuild.This];

    /// <summary>Heartbeat scenarios; the largest also gives the memory and restart figures.</summary>
    public IReadOnlyList<long> HeartbeatInstances { get; init; } = [10_000, 100_000];

    public IReadOnlyList<int> Subscribers { get; init; } = [1_000, 10_000];

    /// <summary>Publishes per push scenario.</summary>
    public int Publishes { get; init; } = 20;

    /// <summary>Cluster mode instead: three etcd members and three nodes (etcd must be installed).</summary>
    public bool Cluster { get; init; }

    /// <summary>Health-check mode instead: persistent instances checked by HTTP against the /ping app.</summary>
    public bool HealthChecks { get; init; }

    /// <summary>Instances health-check mode checks.</summary>
    public int CheckedInstances { get; init; } = 5_000;

    /// <summary>The interval of their checks.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a server is left quiet before its memory is read, so the figure is of a settled heap.</summary>
    public TimeSpan Quiet { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>A few seconds in all: every scenario runs, tiny, to show the benchmark still works.</summary>
    public static BenchmarkOptions Smoke { get; } = new()
    {
        Generator = "builtin",
        Connections = 8,
        Duration = TimeSpan.FromMilliseconds(500),
        WarmUp = TimeSpan.FromMilliseconds(100),
        HeartbeatInstances = [100, 300],
        Subscribers = [20],
        Publishes = 3,
        Quiet = TimeSpan.FromMilliseconds(300),
        CheckedInstances = 200,
        CheckInterval = TimeSpan.FromSeconds(1),
    };

    public const string Usage = """
        Usage: dotnet run -c Release --project benchmarks/Registry.Benchmarks.Load -- [options]
          --output <file>          write the results into this markdown file (docs/benchmarks.md)
          --generator <name>       wrk | builtin | auto (default: wrk when on PATH)
          --connections <n>        keep-alive connections (default 64)
          --threads <n>            wrk threads (default 1: on a 2-core machine a second wrk thread
                                   takes the server's core; raise it only with cores to spare)
          --duration <seconds>     per measured run (default 10)
          --warmup <seconds>       before every measured run, /ping's included (default 5)
          --instances <n,n,...>    heartbeat scenarios; the largest also measures memory and restart (default 10000,100000)
          --subscribers <n,n,...>  SSE push scenarios (default 1000,10000)
          --publishes <n>          publishes per push scenario (default 20)
          --compare <directory>    also run another build of the server, side by side in every scenario:
                                   a directory holding its Registry.Server.dll, e.g. the output of
                                   dotnet build -c Release src/Registry.Server -o <directory> at another commit
          --cluster                cluster mode: three etcd members and three nodes on this machine; durable
                                   writes beside raw etcd transactions, heartbeats on one node, push
                                   across nodes and a watcher's fail-over (docs/benchmarks-cluster.md)
          --health-checks          health-check mode: persistent instances checked by HTTP against the /ping
                                   app; time to healthy and to unhealthy, probes a second, the server's CPU,
                                   threads and memory (docs/benchmarks-health-checks.md)
          --checked <n>            instances health-check mode checks (default 5000)
          --check-interval <s>     their checks' interval, seconds (default 5)
          --smoke                  every scenario, tiny and short (the CI run)
        """;

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = args.Contains("--smoke") ? Smoke : new BenchmarkOptions();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--smoke")
            {
                continue;
            }

            if (args[i] == "--cluster")
            {
                options = options with { Cluster = true };
                continue;
            }

            if (args[i] == "--health-checks")
            {
                options = options with { HealthChecks = true };
                continue;
            }

            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            options = args[i - 1] switch
            {
                "--output" => options with { Output = value },
                "--generator" => options with { Generator = value },
                "--connections" => options with { Connections = Positive(value) },
                "--threads" => options with { Threads = Positive(value) },
                "--compare" => options with { Compare = ServerBuild.FromDirectory(value) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Positive(value)) },
                "--warmup" => options with { WarmUp = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--instances" => options with { HeartbeatInstances = [.. value.Split(',').Select(v => (long)Positive(v))] },
                "--subscribers" => options with { Subscribers = [.. value.Split(',').Select(Positive)] },
                "--publishes" => options with { Publishes = Positive(value) },
                "--checked" => options with { CheckedInstances = Positive(value) },
                "--check-interval" => options with { CheckInterval = TimeSpan.FromSeconds(Positive(value)) },
                _ => throw new ArgumentException($"Unknown option {args[i - 1]}.\n{Usage}"),
            };
        }

        return options;
    }

    private static int Positive(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"'{value}' is not a positive whole number.\n{Usage}");
}
