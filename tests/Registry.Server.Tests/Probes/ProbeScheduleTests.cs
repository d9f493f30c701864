using System.Net;
using Microsoft.Extensions.Time.Testing;
using Registry.Server.Probes;

namespace Registry.Server.Tests.Probes;

public sealed class ProbeScheduleTests
{
    private static readonly ProbeDefinition Check = new(
        ProbeKind.Tcp, null, "/", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), FailuresToUnhealthy: 2, SuccessesToHealthy: 2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunDue_ThousandsOfTargets_SpreadOverTheIntervalAndEachProbedOncePerInterval()
    {
        var time = new FakeTimeProvider();
        var probe = new FakeProbe();
        using var schedule = new ProbeSchedule(probe, time, maxConcurrency: 16);
        var targets = Targets(2000);

        // The first run finds the targets and places each in the interval from now.
        await schedule.RunDueAsync(targets, Ct);
        var perSecond = new List<int>();
        for (var second = 1; second <= 10; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            var before = probe.Calls;
            await schedule.RunDueAsync(targets, Ct);
            perSecond.Add(probe.Calls - before);
        }

        // Every target once in its interval, and no second of it carrying most of them.
        Assert.Equal(2000, probe.Calls);
        Assert.Equal(2000, probe.Probed.Distinct().Count());
        Assert.All(perSecond, count => Assert.InRange(count, 100, 400));
        Assert.True(probe.MostAtOnce <= 16, $"{probe.MostAtOnce} probes in flight at once");
    }

    [Fact]
    public async Task RunDue_FailuresPastTheThreshold_ReportOneFlipThenRecovery()
    {
        var time = new FakeTimeProvider();
        var probe = new FakeProbe();
        using var schedule = new ProbeSchedule(probe, time, maxConcurrency: 4);
        var targets = Targets(1);

        var flips = new List<ProbeFlip>();
        foreach (var passes in new[] { false, false, false, true, true })
        {
            probe.Passes = passes;
            time.Advance(Check.Interval);
            flips.AddRange(await schedule.RunDueAsync(targets, Ct));
        }

        Assert.Equal([(false, "failed"), (true, "passed")], flips.Select(f => (f.Healthy, f.Detail)));
    }

    private static List<ProbeTarget> Targets(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new ProbeTarget($"public/DEFAULT_GROUP/svc/10.0.{i / 250}.{i % 250}#80#DEFAULT",
            IPAddress.Parse($"10.0.{i / 250}.{i % 250}"), 80, Check, Healthy: true))];

    private sealed class FakeProbe : IProbe
    {
        private int _inFlight;

        public bool Passes { get; set; } = true;

        public int Calls { get; private set; }

        public int MostAtOnce { get; private set; }

        public List<IPAddress> Probed { get; } = [];

        public async Task<ProbeResult> ProbeAsync(IPAddress address, int port, ProbeDefinition check, CancellationToken cancellationToken)
        {
            lock (Probed)
            {
                Calls++;
                Probed.Add(address);
                MostAtOnce = Math.Max(MostAtOnce, ++_inFlight);
            }

            await Task.Yield();
            lock (Probed)
            {
                _inFlight--;
            }

            return new ProbeResult(Passes, Passes ? "passed" : "failed");
        }
    }
}
