using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Registry.Client.Registration;
using Registry.Server.Tests;

namespace Registry.Client.Tests.Outages;

/// <summary>
/// What an app using the client logs at the levels shown by default, while it beats to a registry that is killed
/// and comes back: the changes, once each, and nothing per beat, request or retry.
/// </summary>
[Collection(nameof(ServerProcesses))]
public sealed class QuietLogTests
{
    private const string Beats = "registry.client.beats";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Beats_ThroughAnOutage_LogTheChangesOnceAndNothingPerBeatOrRetry()
    {
        using var data = new TempDirectory();
        var port = ServerProcess.FreePort();
        var registry = await RegistryProcessTests.StartAsync(data, port);
        using var meters = new ClientMeters();
        var logs = new LogCollector();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Information);
        builder.Services.AddRegistryClient(o =>
        {
            o.Server = registry.Address;
            o.Registration.Service = "quiet";
        });
        await using var app = builder.Build();
        await app.StartAsync(Ct);

        await Eventually.MatchesAsync(() => Task.FromResult(meters.Count(Beats, "outcome", "ok")), n => n >= 3, "beating");
        await registry.KillAsync();
        await Eventually.MatchesAsync(() => Task.FromResult(meters.Count(Beats, "outcome", "failed")), n => n >= 1, "failing to beat");
        await using var restarted = await RegistryProcessTests.StartAsync(data, port);
        await Eventually.MatchesAsync(() => Task.FromResult(logs.Records.Count(r => r.Id == 21)), n => n == 1, "logging that the registry answers again");
        await Eventually.MatchesAsync(() => Task.FromResult(meters.Count(Beats, "outcome", "ok")), n => n >= 6, "beating again");

        var records = logs.Records.ToList();
        Assert.DoesNotContain(records, r => r.Category.StartsWith("System.Net.Http", StringComparison.Ordinal) || r.Category.StartsWith("Polly", StringComparison.Ordinal));
        Assert.Single(records, r => r.Id == 20 && r.Level == LogLevel.Warning && r.Message.Contains("unreachable", StringComparison.Ordinal));
        Assert.Single(records, r => r.Id == 21);
        Assert.All(records.Where(r => r.Category.StartsWith("Registry", StringComparison.Ordinal)), r => Assert.Contains(r.Id, new[] { 1, 3, 20, 21 }));
        Assert.All(records, r => Assert.Null(r.Exception));
        Assert.NotNull(app.Services.GetRequiredService<InstanceRegistrar>().Registered);
        await registry.DisposeAsync();
    }

}
