using Registry.Benchmarks.Load;
using Registry.Benchmarks.Load.Load;
using Registry.Benchmarks.Load.Report;

namespace Registry.Server.Tests.Benchmarks;

/// <summary>
/// A few seconds of the load benchmark with its built-in generator, so it cannot rot between full runs:
/// every scenario runs against the real server and /ping processes and gets answers, none refused. No speed
/// is asserted; speed lives in the full benchmark.
/// </summary>
[Collection(nameof(ServerProcesses))]
public sealed class LoadBenchmarkSmokeTests
{
    [Fact]
    public async Task Run_SmokeOptions_EveryScenarioIsAnsweredWithoutFailures()
    {
        var log = new StringWriter();

        var results = await new BenchmarkRun(BenchmarkOptions.Smoke, new BuiltinGenerator(), log)
            .RunAsync(TestContext.Current.CancellationToken);

        Assert.NotEmpty(results.Throughput);
        Assert.All(results.Throughput, scenario =>
        {
            Assert.True(scenario.Result.Requests > 0 && scenario.Baseline.Requests > 0, scenario.Scenario);
            Assert.True(scenario.Result.Failed == 0, $"{scenario.Scenario}: {scenario.Result.Failed} failed\n{log}");
        });
        Assert.All(results.Push, push => Assert.Equal(push.Expected, push.Delivered));
        Assert.NotEmpty(results.Memory);
        Assert.NotEmpty(results.Startup);
        Assert.All(results.Startup, startup => Assert.True(startup.LoadedIn is not null, log.ToString()));
        Assert.Contains("| Scenario |", MarkdownReport.Render(results, "smoke", DateTimeOffset.UnixEpoch), StringComparison.Ordinal);
    }
}
