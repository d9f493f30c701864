using Registry.Server.Infrastructure;

namespace Registry.Server.Tests.Infrastructure;

/// <summary>Memory is given back once after a burst, at the first quiet moment; never under steady load.</summary>
public sealed class TrimPolicyTests
{
    private const long MiB = 1L << 20;

    [Fact]
    public void ShouldTrim_QuietAfterABurst_TrimsOnce()
    {
        var policy = new TrimPolicy(0);

        Assert.False(policy.ShouldTrim(300 * MiB));   // the burst
        Assert.True(policy.ShouldTrim(301 * MiB));    // then quiet
        policy.Trimmed(301 * MiB);

        Assert.False(policy.ShouldTrim(302 * MiB));   // still quiet, nothing new to give back
    }

    [Fact]
    public void ShouldTrim_SteadyLoad_NeverTrims()
    {
        var policy = new TrimPolicy(0);
        for (var second = 1; second <= 100; second++)
        {
            Assert.False(policy.ShouldTrim(second * 16 * MiB));
        }
    }

    [Fact]
    public void ShouldTrim_QuietWithoutABurst_DoesNotTrim()
    {
        var policy = new TrimPolicy(0);

        Assert.False(policy.ShouldTrim(100 * MiB));
        Assert.False(policy.ShouldTrim(101 * MiB));
    }

    [Fact]
    public void ShouldTrim_BurstsSpreadOverManyPeriods_TrimsWhenTheyAddUp()
    {
        var policy = new TrimPolicy(0);
        for (var period = 1; period <= 30; period++)
        {
            Assert.False(policy.ShouldTrim(period * 10 * MiB));
        }

        Assert.True(policy.ShouldTrim(301 * MiB));
    }
}
