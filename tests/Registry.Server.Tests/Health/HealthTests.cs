using System.Net;
using System.Text.Json;

namespace Registry.Server.Tests.Health;

public sealed class HealthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Healthz_RunningServer_Returns200()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/healthz", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readyz_WritableStore_Returns200WithTheChecks()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", "10.0.0.1");

        using var response = await client.GetAsync("/readyz", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var checks = body.GetProperty("checks");
        Assert.Equal(1, checks.GetProperty("store").GetProperty("data").GetProperty("revision").GetInt64());
        Assert.False(checks.GetProperty("selfPreservation").GetProperty("data").GetProperty("active").GetBoolean());
    }
}
