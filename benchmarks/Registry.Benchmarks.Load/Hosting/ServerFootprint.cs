using System.Globalization;
using System.Text.RegularExpressions;
using Registry.Benchmarks.Load.Load;
using Registry.Benchmarks.Load.Report;

namespace Registry.Benchmarks.Load.Hosting;

/// <summary>What a server costs besides throughput: memory per registered instance, and a restart over them.</summary>
internal static partial class ServerFootprint
{
    /// <summary>
    /// Registers <paramref name="instances"/> instances as <paramref name="template"/> does and measures what they
    /// take. The first tenth (at most 1,000) warms the code paths, so the idle figure is of a server that has
    /// served; an instance costs the growth from there to all of them.
    /// </summary>
    public static async Task<MemoryResult> MeasureMemoryAsync(
        RegistryServer server, RequestTemplate template, string metadata, long instances, TimeSpan quiet, CancellationToken cancellationToken)
    {
        var warm = Math.Min(1_000, instances / 10);
        await RegistrySetup.RegisterAsync(server.Client, template, 0, warm, cancellationToken);
        var (idle, managedIdle) = await SettledMemoryAsync(server, quiet, cancellationToken);
        await RegistrySetup.RegisterAsync(server.Client, template, warm, instances, cancellationToken);
        var (loaded, managedLoaded) = await SettledMemoryAsync(server, quiet, cancellationToken);
        return new MemoryResult(server.Build.Name, metadata, instances, instances - warm, quiet, idle, loaded, managedIdle, managedLoaded);
    }

    /// <summary>
    /// On a server just started over a store holding the instances <c>0..instances-1</c> of <paramref name="servicePrefix"/>:
    /// how long after its process started it was first seen serving every one of them.
    /// </summary>
    public static async Task<StartupResult> MeasureRestartAsync(
        RegistryServer server, string servicePrefix, string metadata, long instances, CancellationToken cancellationToken)
    {
        var servingAfter = await WaitUntilServingAllAsync(server, servicePrefix, instances, cancellationToken);
        return new StartupResult(server.Build.Name, instances, metadata, servingAfter, LoadedIn(server.Process.Output));
    }

    private static async Task<TimeSpan> WaitUntilServingAllAsync(
        RegistryServer server, string servicePrefix, long instances, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        while (!await ServesAllAsync(server.Client, servicePrefix, instances, timeout.Token))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), timeout.Token);
        }

        // Taken when the last answer of the check has arrived: what a client would have seen.
        return server.Process.Uptime;
    }

    /// <summary>
    /// A server may listen before its store is loaded, so answering is not enough: every instance is served when
    /// the first and the last service list all of theirs and the instance gauge counts them all (a build
    /// without the gauge is taken at its lists).
    /// </summary>
    private static async Task<bool> ServesAllAsync(HttpClient client, string servicePrefix, long instances, CancellationToken cancellationToken)
    {
        var lastService = RequestTemplate.Group(instances - 1);
        var inLastService = instances - lastService * RequestTemplate.KeysPerGroup;
        return await RegistrySetup.CountInstancesAsync(client, $"{servicePrefix}-0", cancellationToken) == Math.Min(instances, RequestTemplate.KeysPerGroup)
            && await RegistrySetup.CountInstancesAsync(client, $"{servicePrefix}-{lastService}", cancellationToken) == inLastService
            && (await RegistrySetup.MetricAsync(client, "registry_instances", cancellationToken) is not { } counted || counted >= instances);
    }

    private static async Task<(long Resident, double? Managed)> SettledMemoryAsync(
        RegistryServer server, TimeSpan quiet, CancellationToken cancellationToken)
    {
        await Task.Delay(quiet, cancellationToken);
        return (server.Process.ResidentBytes(), await RegistrySetup.MetricAsync(server.Client, "dotnet_total_memory_bytes", cancellationToken));
    }

    private static TimeSpan? LoadedIn(IEnumerable<string> output) =>
        output.Select(line => LoadedPattern().Match(line)).LastOrDefault(m => m.Success) is { } match
            ? TimeSpan.FromMilliseconds(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))
            : null;

    [GeneratedRegex(@"Loaded the registry at revision \d+ in (\d+) ms")]
    private static partial Regex LoadedPattern();
}
