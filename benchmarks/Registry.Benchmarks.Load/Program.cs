using Registry.Benchmarks.Load.Cluster;
using Registry.Benchmarks.Load.HealthChecks;
using Registry.Benchmarks.Load.Load;
using Registry.Benchmarks.Load.Report;

namespace Registry.Benchmarks.Load;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(BenchmarkOptions.Usage);
            return 0;
        }

        BenchmarkOptions options;
        try
        {
            options = BenchmarkOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        if (CreateGenerator(options.Generator) is not { } generator)
        {
            await Console.Error.WriteLineAsync(
                $"No load generator '{options.Generator}': install wrk (apt-get install wrk) or pass --generator builtin.");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        Console.WriteLine($"Load generator: {generator.Description}");
        var command = "dotnet run -c Release --project benchmarks/Registry.Benchmarks.Load --" + string.Concat(Redacted(args).Select(a => " " + a));
        if (options.Cluster)
        {
            var cluster = await new ClusterRun(options, generator, Console.Out).RunAsync(stop.Token);
            await ReportAsync(ClusterReport.Render(cluster, command, DateTimeOffset.UtcNow), options.Output);
            return 0;
        }

        if (options.HealthChecks)
        {
            var checks = await new HealthCheckRun(options, Console.Out).RunAsync(stop.Token);
            await ReportAsync(HealthCheckReport.Render(checks, command, DateTimeOffset.UtcNow), options.Output);
            return 0;
        }

        var results = await new BenchmarkRun(options, generator, Console.Out).RunAsync(stop.Token);
        Console.WriteLine();
        Console.Write(MarkdownReport.Render(results, command, DateTimeOffset.UtcNow));
        if (options.Output is { } output)
        {
            MarkdownReport.Write(output, results, command, DateTimeOffset.UtcNow);
            Console.WriteLine($"Wrote {output}");
        }

        return 0;
    }

    /// <summary>Shows a mode's report, and writes it whole into <paramref name="file"/> if one is given.</summary>
    private static async Task ReportAsync(string report, string? file)
    {
        Console.WriteLine();
        Console.Write(report);
        if (file is not null)
        {
            await File.WriteAllTextAsync(file, report);
            Console.WriteLine($"Wrote {file}");
        }
    }

    /// <summary>
    /// The command as the report shows it: the compared build's directory is of the machine that ran it, so it
    /// is left out (the report names that build by its version).
    /// </summary>
    private static IEnumerable<string> Redacted(string[] args) =>
        args.Select((arg, i) => i > 0 && args[i - 1] == "--compare" ? "<directory>" : arg);

    private static ILoadGenerator? CreateGenerator(string name) => name switch
    {
        "wrk" => WrkGenerator.Find(),
        "builtin" => new BuiltinGenerator(),
        "auto" => (ILoadGenerator?)WrkGenerator.Find() ?? new BuiltinGenerator(),
        _ => null,
    };
}
