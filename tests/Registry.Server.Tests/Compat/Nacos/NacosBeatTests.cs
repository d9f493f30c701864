using System.Net;
using System.Text.Json;

namespace Registry.Server.Tests.Compat.Nacos;

public sealed class NacosBeatTests
{
    private const string Beat = "{\"serviceName\":\"DEFAULT_GROUP@@orders\",\"ip\":\"10.0.0.1\",\"port\":8080,\"cluster\":\"east\","
        + "\"weight\":1,\"metadata\":{\"zone\":\"a\"},\"scheduled\":false}";

    private static async Task<JsonElement> BeatAsync(HttpClient client, params (string Name, string Value)[] query) =>
        JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, "/nacos/v1/ns/instance/beat", query: query)).RootElement;

    [Fact]
    public async Task Beat_FullBeatsBeyondTheWriteRate_Get429AndRegisterNoMore()
    {
        await using var app = new RegistryApp(settings: new Dictionary<string, string?>
        {
            ["Registry:Limits:WriteBurst"] = "3",
            ["Registry:Limits:WritesPerSecond"] = "1",
        });
        using var client = app.CreateClient();
        for (var i = 1; i <= 3; i++)
        {
            await BeatAsync(client, ("serviceName", "DEFAULT_GROUP@@orders"), ("beat", Beat.Replace("10.0.0.1", $"10.0.0.{i}", StringComparison.Ordinal)));
        }

        var (status, _, response) = await client.SendAsync(HttpMethod.Put, "/nacos/v1/ns/instance/beat",
            query: [("serviceName", "DEFAULT_GROUP@@orders"), ("beat", Beat.Replace("10.0.0.1", "10.0.0.4", StringComparison.Ordinal))]);
        using var _ = response;

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(3, (await client.ListAsync(("serviceName", "DEFAULT_GROUP@@orders"))).Ips().Length);
    }

    [Fact]
    public async Task Beat_RegisteredInstance_Replies10200WithItsInterval()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("DEFAULT_GROUP@@orders", "10.0.0.1", 8080, ("clusterName", "east"));

        var reply = await BeatAsync(client, ("serviceName", "DEFAULT_GROUP@@orders"), ("beat", Beat));

        Assert.Equal(5000, reply.GetProperty("clientBeatInterval").GetInt64());
        Assert.Equal(10200, reply.GetProperty("code").GetInt32());
        Assert.True(reply.GetProperty("lightBeatEnabled").GetBoolean());
    }

    [Fact]
    public async Task Beat_FullBeatOfUnknownInstance_RegistersItFromTheBeatWithItsClusterField()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var reply = await BeatAsync(client, ("serviceName", "DEFAULT_GROUP@@orders"), ("namespaceId", "public"), ("beat", Beat));

        Assert.Equal(10200, reply.GetProperty("code").GetInt32());
        var host = Assert.Single((await client.ListAsync(("serviceName", "orders"))).GetProperty("hosts").EnumerateArray());
        Assert.Equal("10.0.0.1#8080#east#DEFAULT_GROUP@@orders", host.GetProperty("instanceId").GetString());
        Assert.Equal("a", host.GetProperty("metadata").GetProperty("zone").GetString());
    }

    [Fact]
    public async Task Beat_NodeClientIgnoringTheCodeAfterARestartWithoutData_HealsTheRegistry()
    {
        await using (var before = new RegistryApp())
        {
            using var first = before.CreateClient();
            await first.RegisterAsync("DEFAULT_GROUP@@orders", "10.0.0.1", 8080, ("clusterName", "east"), ("namespaceId", "default"));
        }

        // A new server that lost everything: the Node client keeps beating with the full beat and never re-registers.
        await using var after = new RegistryApp();
        using var client = after.CreateClient();
        await BeatAsync(client, ("serviceName", "DEFAULT_GROUP@@orders"), ("namespaceId", "default"), ("beat", Beat));

        Assert.Equal(["10.0.0.1:8080"], (await client.ListAsync(("serviceName", "DEFAULT_GROUP@@orders"), ("namespaceId", "default"))).Ips());
    }

    [Fact]
    public async Task Beat_LightBeatOfUnknownInstance_Replies20404AndRegistersNothing()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var reply = await BeatAsync(client, ("serviceName", "DEFAULT_GROUP@@orders"), ("ip", "10.0.0.1"), ("port", "8080"), ("clusterName", "DEFAULT"));

        Assert.Equal(20404, reply.GetProperty("code").GetInt32());
        Assert.Empty((await client.ListAsync(("serviceName", "orders"))).Ips());
    }

    [Fact]
    public async Task Beat_LightBeatOfKnownInstance_Replies10200()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", "10.0.0.1", 8080);

        var reply = await BeatAsync(client, ("serviceName", "orders"), ("ip", "10.0.0.1"), ("port", "8080"));

        Assert.Equal(10200, reply.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Beat_MalformedBeatJson_Returns400()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var body = await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Put, "/nacos/v1/ns/instance/beat",
            query: [("serviceName", "orders"), ("beat", "{not json")]);

        Assert.Contains("beat", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Beat_KeepsAnEphemeralInstanceAlivePastItsTimeout()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("DEFAULT_GROUP@@orders", "10.0.0.1", 8080, ("clusterName", "east"));
        var sweeper = app.Service<Registry.Server.Naming.HeartbeatSweeper>();

        for (var i = 0; i < 8; i++)
        {
            app.Time.Advance(TimeSpan.FromSeconds(5));
            await BeatAsync(client, ("serviceName", "DEFAULT_GROUP@@orders"), ("beat", Beat));
            await sweeper.SweepAsync(TestContext.Current.CancellationToken);
        }

        var host = (await client.ListAsync(("serviceName", "orders"))).GetProperty("hosts")[0];
        Assert.True(host.GetProperty("healthy").GetBoolean());
    }
}
