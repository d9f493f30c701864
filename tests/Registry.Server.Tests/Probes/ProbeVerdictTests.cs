using Registry.Server.Probes;

namespace Registry.Server.Tests.Probes;

public sealed class ProbeVerdictTests
{
    private static readonly ProbeDefinition Check = new(
        ProbeKind.Tcp, null, "/", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), FailuresToUnhealthy: 3, SuccessesToHealthy: 2);

    [Fact]
    public void Record_FailuresBelowTheThreshold_KeepTheInstanceHealthy()
    {
        var verdict = new ProbeVerdict(healthy: true);

        Assert.Null(verdict.Record(false, Check));
        Assert.Null(verdict.Record(false, Check));
        Assert.True(verdict.Healthy);
    }

    [Fact]
    public void Record_ConsecutiveFailuresThenSuccesses_FlipOnceEachWay()
    {
        var verdict = new ProbeVerdict(healthy: true);

        var flips = new[] { false, false, false, true, true }.Select(passed => verdict.Record(passed, Check)).ToList();

        Assert.Equal([null, null, false, null, true], flips);
    }

    [Fact]
    public void Record_AFlappingTarget_NeverFlips()
    {
        var verdict = new ProbeVerdict(healthy: true);

        var flips = Enumerable.Range(0, 20).Select(i => verdict.Record(i % 3 != 2, Check));

        Assert.All(flips, Assert.Null);
        Assert.True(verdict.Healthy);
    }
}
