using System.Net;
using System.Security.Cryptography;
using System.Text;
using Registry.Server.Events;
using Registry.Server.Tests.Config;

namespace Registry.Server.Tests.Compat.Nacos;

public sealed class NacosListenerTests
{
    private const string Listener = "/nacos/v1/cs/configs/listener";
    private const char A = '\u0001';
    private const char B = '\u0002';

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

#pragma warning disable CA5351 // Nacos identifies content by MD5.
    private static string Md5(string content) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(content)));
#pragma warning restore CA5351

    /// <summary>A long poll as the Node client sends it: GBK-labelled form body, 30 s Long-Pulling-Timeout.</summary>
    private static Task<HttpResponseMessage> ListenAsync(HttpClient client, string payload, string? tenant = null, bool noHangup = false, string timeout = "30000")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Listener)
        {
            Content = tenant is null
                ? NacosApi.Form("GBK", ("Listening-Configs", payload))
                : NacosApi.Form("GBK", ("Listening-Configs", payload), ("tenant", tenant)),
        };
        request.Headers.TryAddWithoutValidation("Long-Pulling-Timeout", timeout);
        if (noHangup)
        {
            request.Headers.TryAddWithoutValidation("Long-Pulling-Timeout-No-Hangup", "true");
        }

        return client.SendAsync(request, Ct);
    }

    /// <summary>Waits until the poll holds a subscription on the change feed; no clock involved.</summary>
    private static async Task HeldAsync(RegistryApp app, int before)
    {
        var feed = app.Service<ChangeFeed>();
        await Eventually.TrueAsync(() => feed.SubscriberCount > before, "holding the poll");
    }

    [Fact]
    public async Task Listen_Md5Differs_RepliesAtOnceWithTheUrlEncodedKeyAndANewline()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishConfigAsync("nacos.example", "DEFAULT_GROUP", "a=1");

        using var response = await ListenAsync(client, $"nacos.example{B}DEFAULT_GROUP{B}{A}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nacos.example%02DEFAULT_GROUP%01\n", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("no-cache", response.Headers.Pragma.ToString());
    }

    [Fact]
    public async Task Listen_FourFieldsWithTenant_ComparesInThatNamespaceAndEchoesTheTenant()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishConfigAsync("a", "g", "x", ("tenant", "dev"));

        using var response = await ListenAsync(client, $"a{B}g{B}{Md5("old")}{B}dev{A}", tenant: "dev");

        Assert.Equal("a%02g%02dev%01\n", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Listen_DeletedConfigWithEmptyMd5_IsUnchanged()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await ListenAsync(client, $"missing{B}g{B}{A}", noHangup: true);

        Assert.Equal("", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Listen_NoHangupAndNothingChanged_RepliesAtOnceEmpty()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishConfigAsync("a", "g", "x");

        using var response = await ListenAsync(client, $"a{B}g{B}{Md5("x")}{A}", noHangup: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Listen_NothingChanged_HoldsUntilAPublishThenRepliesWithTheKey()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishConfigAsync("a", "g", "x");
        await client.PublishConfigAsync("b", "g", "y");
        var before = app.Service<ChangeFeed>().SubscriberCount;

        var poll = ListenAsync(client, $"a{B}g{B}{Md5("x")}{A}b{B}g{B}{Md5("y")}{A}");
        await HeldAsync(app, before);
        Assert.False(poll.IsCompleted);
        await client.PublishConfigAsync("b", "g", "y2");

        using var response = await poll;
        Assert.Equal("b%02g%01\n", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Listen_NothingChanged_RepliesEmptyWhenTheHoldEnds()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishConfigAsync("a", "g", "x");
        var before = app.Service<ChangeFeed>().SubscriberCount;

        var poll = ListenAsync(client, $"a{B}g{B}{Md5("x")}{A}");
        await HeldAsync(app, before);
        // The hold is Long-Pulling-Timeout less 500 ms: just short of it the poll still waits.
        app.Time.Advance(TimeSpan.FromMilliseconds(29_400));
        await Task.Yield();
        Assert.False(poll.IsCompleted);
        app.Time.Advance(TimeSpan.FromMilliseconds(100));

        using var response = await poll;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(before, app.Service<ChangeFeed>().SubscriberCount);
    }

    [Fact]
    public async Task Listen_ShortTimeout_HoldsAtLeastTenSeconds()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var before = app.Service<ChangeFeed>().SubscriberCount;

        var poll = ListenAsync(client, $"a{B}g{B}{A}", timeout: "1000");
        await HeldAsync(app, before);
        app.Time.Advance(TimeSpan.FromSeconds(9));
        await Task.Yield();
        Assert.False(poll.IsCompleted);
        app.Time.Advance(TimeSpan.FromSeconds(1));

        using var response = await poll;
        Assert.Equal("", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Listen_HeldPoll_CompletesOnANativePublish()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var before = app.Service<ChangeFeed>().SubscriberCount;

        var poll = ListenAsync(client, $"app.yaml{B}shop{B}{A}");
        await HeldAsync(app, before);
        await client.PublishAsync("app.yaml", "a: 1\n", query: "group=shop");

        using var response = await poll;
        Assert.Equal("app.yaml%02shop%01\n", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Listen_TooManyFields_Returns400()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await ListenAsync(client, $"a{B}g{B}m{B}t{B}extra{A}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid protocol,too much key", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Listen_MoreThanTenThousandKeys_Returns400()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var payload = string.Concat(Enumerable.Range(0, 10_001).Select(i => $"k{i}{B}g{B}{A}"));

        using var response = await ListenAsync(client, payload, noHangup: true);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Listen_MissingPayload_Returns400ParameterMissing()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var body = await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, Listener, form: [("tenant", "")]);

        Assert.Equal("Parameter 'Listening-Configs' is missing", body);
    }
}
