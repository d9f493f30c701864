using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using Registry.Contracts.Admin;
using Registry.Server.Events;
using Registry.Server.Tests.Compat.Nacos;
using Registry.Server.Tests.Config;

namespace Registry.Server.Tests.Security;

/// <summary>
/// A watch, a long poll or a Nacos listener lives no longer than the token that let it in: revoked or expired,
/// the request ends at once, saying why where the protocol allows.
/// </summary>
public sealed class TokenLifetimeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Watch_TokenRevoked_EndsWithAResetThatSaysWhy()
    {
        await using var app = AuthApp.Create();
        using var admin = app.Client(AuthApp.Admin);
        var token = await CreateAsync(admin, expiresAt: null);
        using var watcher = app.Client(token.Secret);
        var (response, stream) = await SseReader.OpenAsync(watcher, "/v1/configs/watch?dataId=app.yaml");
        using var _ = response;
        await using var __ = stream;
        await PublishAsync(admin, "a: 1\n");
        Assert.Equal("config", (await stream.NextAsync())!.Event);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/tokens/{token.Token.Id}", Ct)).StatusCode);
        await PublishAsync(admin, "a: 2\n");

        var last = (await stream.NextAsync())!;
        Assert.Equal(("reset", "token-revoked"), (last.Event, last.Json.GetProperty("reason").GetString()));
        Assert.Null(await stream.NextAsync());
    }

    [Fact]
    public async Task LongPoll_TokenExpires_Answers401SayingWhy()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        await using var app = AuthApp.Create(time);
        using var admin = app.Client(AuthApp.Admin);
        await PublishAsync(admin, "a: 1\n");
        var token = await CreateAsync(admin, expiresAt: time.GetUtcNow().AddSeconds(30));
        using var poller = app.Client(token.Secret);
        var feed = app.Service<ChangeFeed>();
        var before = feed.SubscriberCount;

        var poll = poller.GetAsync("/v1/configs/app.yaml?waitAfterVersion=1&timeoutMs=60000", Ct);
        await Eventually.TrueAsync(() => feed.SubscriberCount > before, "holding the poll");
        time.Advance(TimeSpan.FromSeconds(31));

        using var ended = await poll;
        var problem = await ended.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(("unauthorized", "token-expired"), (problem.Code(), problem.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task NacosListener_TokenRevoked_Answers403AsNacosDoes()
    {
        await using var app = AuthApp.Create();
        using var admin = app.Client(AuthApp.Admin);
        await admin.PublishConfigAsync("nacos.example", "DEFAULT_GROUP", "a=1", ("accessToken", AuthApp.Writer));
        var token = await CreateAsync(admin, expiresAt: null);
        using var listener = app.CreateClient();
        var feed = app.Service<ChangeFeed>();
        var before = feed.SubscriberCount;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/nacos/v1/cs/configs/listener?accessToken=" + token.Secret)
        {
            Content = NacosApi.Form(null, ("Listening-Configs", "nacos.example\u0002DEFAULT_GROUP\u0002" + Md5Of("a=1") + "\u0001")),
        };
        request.Headers.TryAddWithoutValidation("Long-Pulling-Timeout", "30000");

        var poll = listener.SendAsync(request, Ct);
        await Eventually.TrueAsync(() => feed.SubscriberCount > before, "holding the poll");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/tokens/{token.Token.Id}", Ct)).StatusCode);

        using var ended = await poll;
        Assert.Equal(HttpStatusCode.Forbidden, ended.StatusCode);
        Assert.Equal("token invalid!", await ended.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<CreatedToken> CreateAsync(HttpClient admin, DateTimeOffset? expiresAt)
    {
        using var response = await admin.PostAsJsonAsync("/v1/tokens", new { name = "watcher", roles = new[] { "read" }, expiresAt }, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CreatedToken>(Ct))!;
    }

    private static async Task PublishAsync(HttpClient client, string content)
    {
        using var response = await client.PutAsync("app.yaml", content);
        response.EnsureSuccessStatusCode();
    }

#pragma warning disable CA5351 // Nacos identifies content by MD5.
    private static string Md5Of(string content) =>
        Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(content)));
#pragma warning restore CA5351
}
