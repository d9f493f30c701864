using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Registry.Server.Naming;
using Registry.Server.Tests.Security;

namespace Registry.Server.Tests.Infrastructure;

/// <summary>The events operators alert on are logged with their stable ids (listed in docs/operations.md).</summary>
public sealed class LogEventTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> RegistryInformation = new() { ["Logging:LogLevel:Registry"] = "Information" };

    [Fact]
    public async Task InstanceLifecycle_LogsRegisteredUnhealthyEvictedAndDeregistered()
    {
        await using var app = new RegistryApp(settings: RegistryInformation, services: Collect);
        using var client = app.CreateClient();
        var sweeper = app.Service<HeartbeatSweeper>();
        var leaving = await client.RegisterAsync("orders", "10.0.0.1");
        var silent = await client.RegisterAsync("orders", "10.0.0.2");
        (await client.DeleteAsync(Api.Instance("orders", leaving.Id), Ct)).EnsureSuccessStatusCode();

        app.Time.Advance(TimeSpan.FromSeconds(16));
        await sweeper.SweepAsync(Ct);
        app.Time.Advance(TimeSpan.FromSeconds(15));
        await sweeper.SweepAsync(Ct);

        var events = Events(app);
        Assert.Equal(2, events.Count(e => e.Id.Id == 2001));
        Assert.Contains(events, e => e.Id.Id == 2002 && e.Message.Contains(leaving.Id, StringComparison.Ordinal));
        Assert.Contains(events, e => e.Id.Id == 2005 && e.Level == LogLevel.Information && e.Message.Contains(silent.Id, StringComparison.Ordinal));
        Assert.Contains(events, e => e.Id.Id == 2003 && e.Message.Contains(silent.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MassExpiry_LogsSelfPreservationOnAsAWarning()
    {
        await using var app = new RegistryApp(settings: RegistryInformation, services: Collect);
        using var client = app.CreateClient();
        for (var i = 1; i <= 20; i++)
        {
            await client.RegisterAsync("orders", $"10.0.0.{i}");
        }

        app.Time.Advance(TimeSpan.FromSeconds(31));
        await app.Service<HeartbeatSweeper>().SweepAsync(Ct);

        Assert.Contains(Events(app), e => e.Id.Id == 2101 && e.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task RefusedRequest_LogsWhoWhatAndWhyAsAWarning()
    {
        await using var app = AuthApp.Create(services: Collect);
        using var reader = app.Client(AuthApp.Reader);

        using var response = await reader.DeleteAsync("/v1/configs/app.yaml", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var refusal = Assert.Single(Events(app), e => e.Id.Id == 4001);
        Assert.Equal(LogLevel.Warning, refusal.Level);
        Assert.Contains("DELETE /v1/configs/app.yaml for dashboard", refusal.Message, StringComparison.Ordinal);
    }

    private static void Collect(IServiceCollection services) => services.AddLogging(logging => logging.AddFakeLogging());

    private static IReadOnlyList<FakeLogRecord> Events(RegistryApp app) => app.Services.GetFakeLogCollector().GetSnapshot();
}
