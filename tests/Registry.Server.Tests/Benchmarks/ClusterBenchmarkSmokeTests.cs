using Registry.Benchmarks.Load;
using Registry.Benchmarks.Load.Cluster;
using Registry.Benchmarks.Load.Load;
using Registry.Server.Tests.Cluster;

namespace Registry.Server.Tests.Benchmarks;

/// <summary>
/// A few seconds of the cluster benchmark, so it cannot rot between full runs: three etcd members and three nodes,
/// every scenario answered without failures, the watcher's fail-over losing and repeating nothing. No speed is asserted.
/// </summary>
[Collection(nameof(ServerProcesses))]
public sealed class ClusterBenchmarkSmokeTests
{
    [Fact]
    public async Task Run_SmokeOptions_EveryScenarioIsAnsweredAndTheFailoverLosesNothing()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        var log = new StringWriter();

        var results = await new ClusterRun(BenchmarkOptions.Smoke with { Cluster = true }, new BuiltinGenerator(), log)
            .RunAsync(TestContext.Current.CancellationToken);

        Assert.All(results.Throughput, scenario =>
        {
            Assert.True(scenario.Result.Result.Requests > 0 && scenario.Result.Baseline.Requests > 0, scenario.Scenario);
            Assert.True(scenario.Result.Result.Failed == 0 && scenario.Result.Baseline.Failed == 0, $"{scenario.Scenario}\n{log}");
        });
        Assert.All(results.Push, push => Assert.Equal(push.Expected, push.Delivered));
        Assert.True(results.Failover.Met, log.ToString());
        Assert.Contains("| Scenario |", ClusterReport.Render(results, "smoke", DateTimeOffset.UnixEpoch), StringComparison.Ordinal);
    }
}
