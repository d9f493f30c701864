using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using Registry.Contracts.Naming;
using Registry.Server.Naming;

namespace Registry.Server.Tests.Naming;

/// <summary>
/// Leases run on the monotonic clock: a step of the wall clock (an NTP correction, an operator's date command) neither
/// evicts instances that beat nor keeps a silent one alive; the wall clock is only shown.
/// </summary>
public sealed class ClockStepTests
{
    private static readonly Dictionary<string, string?> OnlyExplicitSweeps = new() { ["Registry:Naming:SweepInterval"] = "00:01:00" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sweep_WallClockStepsAnHourAhead_EvictsNoInstanceThatBeats()
    {
        var clock = new SteppingClock();
        await using var app = new RegistryApp(clock, settings: OnlyExplicitSweeps);
        using var client = app.CreateClient();
        var instance = await client.RegisterAsync("orders", "10.0.0.1");
        var sweeper = app.Service<HeartbeatSweeper>();

        clock.StepWallClock(TimeSpan.FromHours(1));
        for (var second = 1; second <= 40; second++)
        {
            app.Time.Advance(TimeSpan.FromSeconds(1));
            if (second % 5 == 0)
            {
                Assert.Equal(HttpStatusCode.OK, await client.BeatAsync("orders", instance.Id));
            }

            await sweeper.SweepAsync(Ct);
        }

        Assert.True(Assert.Single((await client.ListAsync("orders")).Instances).Healthy);
    }

    [Fact]
    public async Task Sweep_WallClockStepsAnHourBack_StillExpiresASilentInstanceOnTime()
    {
        var clock = new SteppingClock();
        await using var app = new RegistryApp(clock, settings: OnlyExplicitSweeps);
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", "10.0.0.1");
        var sweeper = app.Service<HeartbeatSweeper>();

        clock.StepWallClock(-TimeSpan.FromHours(1));
        app.Time.Advance(TimeSpan.FromSeconds(16));
        await sweeper.SweepAsync(Ct);
        Assert.False(Assert.Single((await client.ListAsync("orders")).Instances).Healthy);

        app.Time.Advance(TimeSpan.FromSeconds(15));
        await sweeper.SweepAsync(Ct);
        Assert.Empty((await client.ListAsync("orders")).Instances);
    }

    [Fact]
    public async Task GetInstance_AfterAWallClockStep_ShowsTheLastBeatAsLongAgoAsItWas()
    {
        var clock = new SteppingClock();
        await using var app = new RegistryApp(clock);
        using var client = app.CreateClient();
        var instance = await client.RegisterAsync("orders", "10.0.0.1");
        Assert.Equal(HttpStatusCode.OK, await client.BeatAsync("orders", instance.Id));

        app.Time.Advance(TimeSpan.FromSeconds(2));
        clock.StepWallClock(TimeSpan.FromHours(1));

        var shown = await client.GetFromJsonAsync<InstanceInfo>(Api.Instance("orders", instance.Id), Ct);
        Assert.Equal(clock.GetUtcNow() - TimeSpan.FromSeconds(2), shown!.LastHeartbeatAt);
    }

    /// <summary>A fake clock whose wall time can step while its monotonic timestamps and timers go on evenly.</summary>
    private sealed class SteppingClock() : FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
        private TimeSpan _step;

        public void StepWallClock(TimeSpan step) => _step += step;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _step;

        // The fake clock derives its timestamps from the wall time it reports: from the unstepped one here.
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => base.GetUtcNow().UtcTicks;
    }
}
