using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Registry.Server.Tests.Config;

namespace Registry.Server.Tests.Compat.Nacos;

/// <summary>Nacos's beta publish: a gray version for the listed client addresses, as Nacos clients see it.</summary>
public sealed class NacosBetaTests
{
    private const string Configs = "/nacos/v1/cs/configs";
    private const string Beta = "10.0.0.7";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

#pragma warning disable CA5351 // Nacos identifies content by MD5.
    private static string Md5(string content) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(content)));
#pragma warning restore CA5351

    [Fact]
    public async Task BetaIps_ListedClientGetsTheBetaUntilItIsStopped()
    {
        await using var app = new RegistryApp(services: ClientAddresses.AddTo);
        using var admin = app.CreateClient();
        await admin.PublishConfigAsync("app.properties", "shop", "mode=old");

        var (published, _, publishing) = await admin.SendAsync(HttpMethod.Post, Configs,
            form: [("dataId", "app.properties"), ("group", "shop"), ("content", "mode=beta")], headers: ("betaIps", $"{Beta},10.0.0.8"));
        publishing.Dispose();
        Assert.Equal(HttpStatusCode.OK, published);

        var (_, betaContent, betaRead) = await ReadAsync(admin, Beta);
        var (_, otherContent, otherRead) = await ReadAsync(admin, "10.0.0.9");
        Assert.Equal(("mode=beta", "true"), (betaContent, NacosApi.Header(betaRead, "isBeta")));
        Assert.Equal("mode=old", otherContent);
        Assert.False(otherRead.Headers.Contains("isBeta"));
        betaRead.Dispose();
        otherRead.Dispose();

        var query = JsonDocument.Parse(await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, Configs,
            query: [("dataId", "app.properties"), ("group", "shop"), ("beta", "true")])).RootElement;
        Assert.Equal((200, "mode=beta", $"{Beta},10.0.0.8"), (query.GetProperty("code").GetInt32(),
            query.GetProperty("data").GetProperty("content").GetString(), query.GetProperty("data").GetProperty("betaIps").GetString()));

        // The beta client's listener holding the released md5 is told at once that its config changed.
        using var listen = new HttpRequestMessage(HttpMethod.Post, $"{Configs}/listener")
        {
            Content = NacosApi.Form(null, ("Listening-Configs", $"app.properties\u0002shop\u0002{Md5("mode=old")}\u0001")),
        };
        listen.Headers.Add(ClientAddresses.Header, Beta);
        listen.Headers.Add("Long-Pulling-Timeout", "30000");
        using var changed = await admin.SendAsync(listen, Ct);
        Assert.Contains("app.properties", Uri.UnescapeDataString(await changed.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);

        var stopped = JsonDocument.Parse(await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, Configs,
            query: [("dataId", "app.properties"), ("group", "shop"), ("beta", "true")])).RootElement;
        Assert.True(stopped.GetProperty("data").GetBoolean());
        var (_, after, afterRead) = await ReadAsync(admin, Beta);
        afterRead.Dispose();
        Assert.Equal("mode=old", after);
    }

    [Fact]
    public async Task BetaQuery_NoBeta_AnswersWithoutData()
    {
        await using var app = new RegistryApp();
        using var admin = app.CreateClient();
        await admin.PublishConfigAsync("app.properties", "shop", "mode=old");

        var query = JsonDocument.Parse(await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, Configs,
            query: [("dataId", "app.properties"), ("group", "shop"), ("beta", "true")])).RootElement;

        Assert.False(query.TryGetProperty("data", out _));
        Assert.True(JsonDocument.Parse(await admin.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, Configs,
            query: [("dataId", "app.properties"), ("group", "shop"), ("beta", "true")])).RootElement.GetProperty("data").GetBoolean());
    }

    private static Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> ReadAsync(HttpClient client, string address) =>
        client.SendAsync(HttpMethod.Get, Configs, query: [("dataId", "app.properties"), ("group", "shop")], headers: (ClientAddresses.Header, address));
}
