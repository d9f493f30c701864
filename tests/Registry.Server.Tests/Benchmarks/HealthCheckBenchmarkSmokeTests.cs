using Registry.Benchmarks.Load;
using Registry.Benchmarks.Load.HealthChecks;

namespace Registry.Server.Tests.Benchmarks;

/// <summary>
/// A few seconds of the health-check benchmark, so it cannot rot between full runs: its instances all become healthy,
/// are probed, and all become unhealthy once the target stops. No speed is asserted.
/// </summary>
[Collection(nameof(ServerProcesses))]
public sealed class HealthCheckBenchmarkSmokeTests
{
    [Fact]
    public async Task Run_SmokeOptions_EveryInstanceTurnsHealthyThenUnhealthy()
    {
        var log = new StringWriter();

        var results = await new HealthCheckRun(BenchmarkOptions.Smoke with { HealthChecks = true }, log)
            .RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(BenchmarkOptions.Smoke.CheckedInstances, results.Instances);
        Assert.True(results.Steady.ProbesPerSecond > 0, log.ToString());
        Assert.Contains("| Measure |", HealthCheckReport.Render(results, "smoke", DateTimeOffset.UnixEpoch), StringComparison.Ordinal);
    }
}
