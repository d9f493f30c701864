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
        using var schedule = new ProbeSchedule(probe, time, maxConcurrency: 16, (_, _) => Task.CompletedTask);
        var targets = Targets(2000);

        // The first run finds the targets and places each in the interval from now.
        schedule.RunDue(targets, Ct);
        await schedule.IdleAsync();
        var perSecond = new List<int>();
        for (var second = 1; second <= 10; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            var before = probe.Calls;
            schedule.RunDue(targets, Ct);
            await schedule.IdleAsync();
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
        var flips = new List<ProbeFlip>();
        var healthy = true;
        using var schedule = new ProbeSchedule(probe, time, maxConcurrency: 4, (flip, _) =>
        {
            // As the registry does: the flip is written, and the next run gives the target with its new health.
            flips.Add(flip);
            healthy = flip.Healthy;
            return Task.CompletedTask;
        });

        foreach (var passes in new[] { false, false, false, true, true })
        {
            probe.Passes = passes;
            time.Advance(Check.Interval);
            schedule.RunDue([Targets(1)[0] with { Healthy = healthy }], Ct);
            await schedule.IdleAsync();
        }

        Assert.Equal([(false, "failed"), (true, "passed")], flips.Select(f => (f.Healthy, f.Detail)));
    }

    [Fact]
    public async Task RunDue_ProbesThatFailOnTheServersSide_CountForNoFlip()
    {
        var time = new FakeTimeProvider();
        var probe = new FakeProbe { Passes = false, Inconclusive = true };
        var flips = new List<ProbeFlip>();
        using var schedule = new ProbeSchedule(probe, time, maxConcurrency: 4, (flip, _) =>
        {
            flips.Add(flip);
            return Task.CompletedTask;
        });

        // Placed in its interval first; then out of sockets for many intervals, and one real failure: not yet the two
        // in a row that flip it.
        schedule.RunDue(Targets(1), Ct);
        for (var round = 0; round < 6; round++)
        {
            probe.Inconclusive = round < 5;
            time.Advance(Check.Interval);
            schedule.RunDue(Targets(1), Ct);
            await schedule.IdleAsync();
        }

        Assert.Equal(6, probe.Calls);
        Assert.Empty(flips);
    }

    [Fact]
    public async Task RunDue_AProbeThatHangs_HoldsUpNoOtherInstanceAndIsNotStartedTwice()
    {
        var time = new FakeTimeProvider();
        var probe = new FakeProbe();
        using var schedule = new ProbeSchedule(probe, time, maxConcurrency: 4, (_, _) => Task.CompletedTask);
        var targets = Targets(50);
        var hanging = new TaskCompletionSource<ProbeResult>();
        probe.Hang = targets[0].Address;
        probe.Hung = hanging.Task;
        // The others answer at once: each round's probes have completed when RunDue returns.
        probe.Yields = false;
        schedule.RunDue(targets, Ct);

        // Three intervals: every other instance probed in each, the hanging one started once.
        for (var round = 1; round <= 3; round++)
        {
            time.Advance(Check.Interval);
            schedule.RunDue(targets, Ct);
            Assert.Equal(49 * round, probe.Completed);
        }

        Assert.Equal(1 + (49 * 3), probe.Calls);
        Assert.Equal(1, probe.Probed.Count(address => address.Equals(targets[0].Address)));
        hanging.SetResult(new ProbeResult(false, "timed out"));
        await schedule.IdleAsync();
    }

    private static List<ProbeTarget> Targets(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new ProbeTarget($"public/DEFAULT_GROUP/svc/10.0.{i / 250}.{i % 250}#80#DEFAULT",
            IPAddress.Parse($"10.0.{i / 250}.{i % 250}"), 80, Check, Healthy: true))];

    private sealed class FakeProbe : IProbe
    {
        private int _inFlight;

        public bool Passes { get; set; } = true;

        /// <summary>Whether a failure is on the prober's side (out of sockets).</summary>
        public bool Inconclusive { get; set; }

        public int Calls { get; private set; }

        public int MostAtOnce { get; private set; }

        public int Completed { get; private set; }

        /// <summary>Whether a probe yields before it answers, so that several are in flight at once.</summary>
        public bool Yields { get; set; } = true;

        public List<IPAddress> Probed { get; } = [];

        /// <summary>The address whose probe does not complete until <see cref="Hung"/> does.</summary>
        public IPAddress? Hang { get; set; }

        public Task<ProbeResult>? Hung { get; set; }

        public async Task<ProbeResult> ProbeAsync(IPAddress address, int port, ProbeDefinition check, CancellationToken cancellationToken)
        {
            lock (Probed)
            {
                Calls++;
                Probed.Add(address);
                MostAtOnce = Math.Max(MostAtOnce, ++_inFlight);
            }

            if (address.Equals(Hang))
            {
                var result = await Hung!;
                lock (Probed)
                {
                    _inFlight--;
                }

                return result;
            }

            if (Yields)
            {
                await Task.Yield();
            }

            lock (Probed)
            {
                _inFlight--;
                Completed++;
            }

            return Passes ? new ProbeResult(true, "passed")
                : Inconclusive ? ProbeResult.Local("Too many open files")
                : new ProbeResult(false, "failed");
        }
    }
}
