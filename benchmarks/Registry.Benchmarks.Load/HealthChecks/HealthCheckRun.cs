using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Registry.Benchmarks.Load.Hosting;

namespace Registry.Benchmarks.Load.HealthChecks;

/// <summary>
/// Health-check mode: thousands of persistent instances checked by HTTP against bare Kestrel's /ping on this machine.
/// Measures how long they take to become healthy, the probes the server runs a second against the rate their checks
/// call for, the CPU, threads and memory that costs the server, and, once the target is stopped, how long until
/// every instance is marked unhealthy (a burst of health changes through the write path).
/// </summary>
internal sealed class HealthCheckRun(BenchmarkOptions options, TextWriter log)
{
    private const int FirstPort = 20_000;
    private const int InstancesPerService = 100;
    private static readonly string PingAssembly = Path.Combine(AppContext.BaseDirectory, "Registry.Benchmarks.Ping.dll");

    public async Task<HealthCheckResults> RunAsync(CancellationToken cancellationToken)
    {
        var instances = options.CheckedInstances;
        var interval = options.CheckInterval;
        var work = Directory.CreateTempSubdirectory("registry-bench-checks-");
        try
        {
            var ping = await AppProcess.StartAsync(PingAssembly, work.FullName, [], "/ping", cancellationToken);
            try
            {
                await using var server = await RegistryServer.StartAsync(ServerBuild.This, Path.Combine(work.FullName, "server"), cancellationToken,
                    ["--Registry:Probes:AllowedNetworks:0=127.0.0.1"]);
                var idleThreads = server.Process.Threads();
                var check = new
                {
                    type = "http",
                    port = ping.Address.Port,
                    path = "/ping",
                    intervalMs = (long)interval.TotalMilliseconds,
                    timeoutMs = (long)Math.Min(2000, interval.TotalMilliseconds / 2),
                };
                log.WriteLine($"Registering {instances:N0} persistent instances checked by HTTP every {interval.TotalSeconds:F0} s...");
                var registered = Stopwatch.GetTimestamp();
                await RegisterAsync(server.Client, instances, check, cancellationToken);
                var healthyAfter = await WaitForAsync(server, "healthy", instances, Stopwatch.GetElapsedTime(registered), cancellationToken);
                log.WriteLine($"  all healthy {healthyAfter.TotalSeconds:F1} s after the first registration");

                // Steady state: three intervals, so every instance is probed three times over.
                var window = interval * 3;
                log.WriteLine($"Steady state for {window.TotalSeconds:F0} s...");
                var probesBefore = await ProbesAsync(server, null, cancellationToken);
                var failedBefore = await ProbesAsync(server, "failed", cancellationToken);
                var cpuBefore = server.Process.CpuTime();
                var started = Stopwatch.GetTimestamp();
                await Task.Delay(window, cancellationToken);
                var elapsed = Stopwatch.GetElapsedTime(started);
                var cpu = server.Process.CpuTime() - cpuBefore;
                var probes = await ProbesAsync(server, null, cancellationToken) - probesBefore;
                var failed = await ProbesAsync(server, "failed", cancellationToken) - failedBefore;
                var heap = await RegistrySetup.MetricAsync(server.Client, "dotnet_total_memory_bytes", cancellationToken) ?? 0;
                var steady = new SteadyState(
                    probes / elapsed.TotalSeconds, instances / interval.TotalSeconds, failed, cpu / elapsed,
                    idleThreads, server.Process.Threads(), server.Process.ResidentBytes(), (long)heap);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {steady.ProbesPerSecond:F0} probes/s of {steady.ExpectedPerSecond:F0} called for, {failed:F0} failed; CPU {steady.CpuShare:P0} of a core, {steady.Threads} threads"));

                log.WriteLine("Stopping the target...");
                var stopped = Stopwatch.GetTimestamp();
                await ping.DisposeAsync();
                var unhealthyAfter = await WaitForAsync(server, "unhealthy", instances, TimeSpan.Zero, cancellationToken);
                log.WriteLine($"  all unhealthy {Stopwatch.GetElapsedTime(stopped).TotalSeconds:F1} s after it stopped");
                return new HealthCheckResults(instances, interval, healthyAfter, steady, Stopwatch.GetElapsedTime(stopped));
            }
            finally
            {
                await ping.DisposeAsync();
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// A hundred instances a service, the check declared once on each service. The instances' own ports listen nowhere:
    /// the check names the /ping app's port.
    /// </summary>
    private static async Task RegisterAsync(HttpClient client, int instances, object check, CancellationToken cancellationToken)
    {
        var services = (instances + InstancesPerService - 1) / InstancesPerService;
        for (var s = 0; s < services; s++)
        {
            await PutAsync(client, $"/v1/services/checked-{s}", new { healthCheck = check }, cancellationToken);
        }

        await Parallel.ForAsync(0, instances, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken },
            async (k, ct) => await PutAsync(
                client, $"/v1/services/checked-{k / InstancesPerService}/instances",
                new { ip = "127.0.0.1", port = FirstPort + k, ephemeral = false }, ct));
    }

    private static async Task PutAsync(HttpClient client, string path, object body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await client.PutAsync(new Uri(path, UriKind.Relative), content, cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created))
        {
            throw new InvalidOperationException(
                $"PUT {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>Waits until <paramref name="instances"/> instances have <paramref name="health"/>; how long since <paramref name="since"/> before the wait.</summary>
    private static async Task<TimeSpan> WaitForAsync(
        RegistryServer server, string health, int instances, TimeSpan since, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        while (await RegistrySetup.MetricAsync(server.Client, "registry_instances", $"health=\"{health}\"", timeout.Token) is not { } count
            || count < instances)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }

        return since + Stopwatch.GetElapsedTime(started);
    }

    private static async Task<double> ProbesAsync(RegistryServer server, string? result, CancellationToken cancellationToken) =>
        await RegistrySetup.MetricAsync(
            server.Client, "registry_health_probes_total", result is null ? null : $"result=\"{result}\"", cancellationToken) ?? 0;
}

/// <summary>What the server did with every instance healthy.</summary>
/// <param name="CpuShare">The server's CPU time over the wall time: 1 is one core busy.</param>
/// <param name="IdleThreads">The server's threads once started, before any check.</param>
internal sealed record SteadyState(
    double ProbesPerSecond, double ExpectedPerSecond, double Failed, double CpuShare, int IdleThreads, int Threads, long ResidentBytes,
    long HeapBytes);

internal sealed record HealthCheckResults(
    int Instances, TimeSpan Interval, TimeSpan AllHealthyAfter, SteadyState Steady, TimeSpan AllUnhealthyAfter);
