using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Registry.Client.Telemetry;

namespace Registry.Client.Tests.Telemetry;

public sealed class TracingTests
{
    [Fact]
    public async Task RegisterAndBeat_AreTracedWithTheServiceTheInstanceAndItsHealth()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RegistryClientMetrics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = new RegistryServer();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await ClientHost.StartAsync(server.Handler, o =>
        {
            o.Registration.Service = "traced";
            o.Registration.Ip = "10.0.0.1";
            o.Registration.Port = 8080;
        }, time);
        var registered = (await Eventually.MatchesAsync(() => server.ListAsync("traced"), l => l.Count == 1, "registered"))[0];

        await Eventually.MatchesAsync(() =>
        {
            time.Advance(TimeSpan.FromMilliseconds(registered.HeartbeatIntervalMs));
            return Task.FromResult(activities.Count(a => a.OperationName == "registry.beat" && Equals(a.GetTagItem("registry.service"), "traced")));
        }, n => n >= 1, "a traced beat");

        var ours = activities.Where(a => Equals(a.GetTagItem("registry.service"), "traced")).ToList();
        Assert.Contains(ours, a => a.OperationName == "registry.register" && Equals(a.GetTagItem("registry.instance.id"), registered.Id));
        Assert.Contains(ours, a => a.OperationName == "registry.beat" && Equals(a.GetTagItem("registry.instance.healthy"), true));
    }
}
