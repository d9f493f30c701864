using Registry.Server.Probes;

namespace Registry.Server.Tests.Probes;

public sealed class ProbeVerdictTests
{
    private static readonly ProbeDefinition Check = new(
        ProbeKind.Tcp, null, "/", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), FailuresToUnhealthy: 3, SuccessesToHealthy: 2);

    [Fact]
    public void Record_FailuresBelowTheThreshold_CallForNoFlip()
    {
        var verdict = new ProbeVerdict();

        Assert.Null(verdict.Record(false, healthy: true, Check));
        Assert.Null(verdict.Record(false, healthy: true, Check));
    }

    [Fact]
    public void Record_ConsecutiveFailuresThenSuccesses_FlipOnceEachWay()
    {
        var verdict = new ProbeVerdict();
        var healthy = true;

        var flips = new[] { false, false, false, true, true }.Select(passed =>
        {
            var flip = verdict.Record(passed, healthy, Check);
            healthy = flip ?? healthy;
            return flip;
        }).ToList();

        Assert.Equal([null, null, false, null, true], flips);
    }

    [Fact]
    public void Record_AFlappingTarget_NeverFlips()
    {
        var verdict = new ProbeVerdict();

        var flips = Enumerable.Range(0, 20).Select(i => verdict.Record(i % 3 != 2, healthy: true, Check));

        Assert.All(flips, Assert.Null);
    }

    [Fact]
    public void Record_AFlipThatWasNotWritten_IsCalledForAgainAfterTheThreshold()
    {
        var verdict = new ProbeVerdict();

        var flips = Enumerable.Range(0, 6).Select(_ => verdict.Record(false, healthy: true, Check)).ToList();

        Assert.Equal([null, null, false, null, null, false], flips);
    }
}
