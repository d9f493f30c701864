using System.Net;
using System.Net.Http.Json;
using Registry.Server.Infrastructure;
using Registry.Server.Tests.Metadata;
using Registry.Server.Tests.Naming;
using Registry.Server.Tests.Security;

namespace Registry.Server.Tests.Infrastructure;

public sealed class LimitsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> TightRate = new()
    {
        ["Registry:Limits:WriteBurst"] = "3",
        ["Registry:Limits:WritesPerSecond"] = "1",
    };

    [Fact]
    public async Task Writes_BeyondTheRate_Get429WithRetryAfter()
    {
        await using var app = new RegistryApp(settings: TightRate);
        using var client = app.CreateClient();
        for (var i = 1; i <= 3; i++)
        {
            await client.RegisterAsync("orders", $"10.0.0.{i}");
        }

        using var response = await client.PutAsJsonAsync(Api.Instances("orders"), new { ip = "10.0.0.4", port = 8080 }, Ct);

        Assert.Equal("rate-limited", (await response.ProblemAsync(HttpStatusCode.TooManyRequests)).Code());
        Assert.True(response.Headers.RetryAfter!.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(3, (await client.ListAsync("orders")).Instances.Count);
    }

    [Fact]
    public async Task ReadsAndHeartbeats_AreNotRateLimited()
    {
        await using var app = new RegistryApp(settings: TightRate);
        using var client = app.CreateClient();
        var instance = await client.RegisterAsync("orders", "10.0.0.1");

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await client.BeatAsync("orders", instance.Id));
            Assert.Single((await client.ListAsync("orders")).Instances);
        }
    }

    [Fact]
    public async Task RateLimit_IsPerToken()
    {
        await using var app = AuthApp.Create(more: TightRate);
        using var writer = app.Client(AuthApp.Writer);
        using var admin = app.Client(AuthApp.Admin);
        for (var i = 1; i <= 3; i++)
        {
            await writer.RegisterAsync("orders", $"10.0.0.{i}");
        }

        using var limited = await writer.PutAsJsonAsync(Api.Instances("orders"), new { ip = "10.0.0.4", port = 8080 }, Ct);
        var other = await admin.RegisterAsync("orders", "10.0.0.5");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("10.0.0.5", other.Ip);
    }

    [Fact]
    public async Task RateLimit_Disabled_LetsEveryWriteThrough()
    {
        await using var app = new RegistryApp(settings: new Dictionary<string, string?>(TightRate) { ["Registry:Limits:RateLimitEnabled"] = "false" });
        using var client = app.CreateClient();

        for (var i = 1; i <= 10; i++)
        {
            await client.RegisterAsync("orders", $"10.0.0.{i}");
        }
    }

    [Theory]
    [InlineData(1000, 100, 100)]
    [InlineData(19, 19, 1000)]
    [InlineData(3, 1, 333)]
    [InlineData(1, 1, 1000)]
    [InlineData(25, 5, 200)]
    public void WriteRate_AnyWholeNumberPerSecond_RefillsExactlyThatRate(int perSecond, int tokens, int periodMs)
    {
        var (refill, period) = Limits.Refill(perSecond);

        Assert.Equal((tokens, periodMs), (refill, (int)period.TotalMilliseconds));
        Assert.Equal(perSecond, refill * TimeSpan.FromSeconds(1) / period, 6);
    }

    [Fact]
    public async Task JsonBody_OverTheLimit_Gets413Problem()
    {
        await using var app = KestrelApp(new() { ["Registry:Limits:MaxBodyBytes"] = "65536" });
        using var client = app.CreateClient();
        var metadata = Enumerable.Range(0, 80).ToDictionary(i => $"k{i}", _ => new string('v', 1024));

        using var response = await client.PutAsJsonAsync(Api.Instances("orders"), new { ip = "10.0.0.1", port = 80, metadata }, Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("body-too-large", problem.Code());
        Assert.Equal(65536, problem.GetProperty("maxBytes").GetInt64());
        Assert.Empty((await client.ListAsync("orders")).Instances);
    }

    [Fact]
    public async Task MetadataDocument_HasItsOwnLargerLimit()
    {
        await using var app = KestrelApp(new()
        {
            ["Registry:Limits:MaxBodyBytes"] = "65536",
            ["Registry:Limits:MaxMetadataBodyBytes"] = "1048576",
        });
        using var client = app.CreateClient();
        var weights = Enumerable.Range(0, 5000).ToDictionary(i => $"10.0.{i / 250}.{i % 250}#8080#DEFAULT", _ => 1.0);
        var tooMany = Enumerable.Range(0, 9000).ToDictionary(i => $"10.{i / 62500}.{i / 250 % 250}.{i % 250}#8080#DEFAULT-{new string('c', 150)}", _ => 1.0);

        var accepted = await client.PutMetadataAsync("pay", new { instanceWeights = weights });
        using var refused = await client.PutAsJsonAsync(MetadataApi.Path("pay"), new { instanceWeights = tooMany }, Ct);

        Assert.Equal(5000, accepted.InstanceWeights.Count);
        var problem = await refused.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(("body-too-large", 1048576L), (problem.Code(), problem.GetProperty("maxBytes").GetInt64()));
    }

    [Fact]
    public async Task NacosPublish_DocumentNearTheContentLimitFormEncoded_IsAccepted()
    {
        await using var app = KestrelApp([]);
        using var client = app.CreateClient();

        // 300,000 CJK characters: 900,000 bytes of UTF-8, 2.7 MB once percent-encoded in the form.
        var content = "a: " + new string('界', 300_000) + "\n";
        using var form = new FormUrlEncodedContent([new("dataId", "big.yaml"), new("group", "g"), new("content", content)]);
        using var response = await client.PostAsync("/nacos/v1/cs/configs", form, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await client.GetStringAsync("/v1/configs/big.yaml?group=g", Ct));
    }

    [Fact]
    public async Task Headers_OverTheLimit_Get431()
    {
        await using var app = KestrelApp(new() { ["Registry:Limits:MaxHeaderBytes"] = "8192" });
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/tree");
        request.Headers.Add("X-Padding", new string('p', 10_000));

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    private static RegistryApp KestrelApp(Dictionary<string, string?> settings)
    {
        var app = new RegistryApp(settings: settings);
        app.StartOnKestrel();
        return app;
    }
}
