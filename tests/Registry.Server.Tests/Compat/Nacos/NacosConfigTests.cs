using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Registry.Server.Tests.Compat.Nacos;

public sealed class NacosConfigTests
{
    private const string Configs = "/nacos/v1/cs/configs";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

#pragma warning disable CA5351 // Nacos identifies content by MD5.
    private static string Md5(string content) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(content)));
#pragma warning restore CA5351

    [Fact]
    public async Task Publish_GbkLabelledFormWithUtf8BytesLikeTheNodeClient_IsReadBackAsUtf8WithNacosHeaders()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        const string content = "greeting=你好, 世界\nprice=€5";
        using var body = NacosApi.Form("GBK", ("dataId", "app.properties"), ("group", "DEFAULT_GROUP"), ("content", content), ("type", "properties"), ("appName", "shop"));

        using var published = await client.PostAsync(Configs, body, Ct);
        using var read = await client.GetAsync(Configs + "?dataId=app.properties&group=DEFAULT_GROUP", Ct);

        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal("true", await published.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(content, await read.Content.ReadAsStringAsync(Ct));
        Assert.Equal("text/plain;charset=UTF-8", NacosApi.Header(read, "Content-Type").Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal(Md5(content), NacosApi.Header(read, "Content-MD5"));
        Assert.Equal("properties", read.Headers.GetValues("Config-Type").Single());
        Assert.Contains("no-cache", read.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal("no-cache", read.Headers.Pragma.ToString());
        Assert.NotNull(read.Content.Headers.LastModified);
    }

    [Fact]
    public async Task Get_JsonType_AnswersWithTheJsonContentType()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishConfigAsync("app.json", "shop", "{\"a\":1}", ("type", "json"));

        using var read = await client.GetAsync(Configs + "?dataId=app.json&group=shop", Ct);

        Assert.Equal("application/json", read.Content.Headers.ContentType?.MediaType);
        Assert.Equal("json", read.Headers.GetValues("Config-Type").Single());
    }

    [Fact]
    public async Task Get_ShowAll_ReturnsTheConfigAsJsonWithContentAndMd5()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishConfigAsync("app.yaml", "shop", "a: 1\n", ("type", "yaml"), ("tenant", "dev"));

        var all = JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, Configs,
            query: [("show", "all"), ("dataId", "app.yaml"), ("group", "shop"), ("tenant", "dev")])).RootElement;

        Assert.Equal("a: 1\n", all.GetProperty("content").GetString());
        Assert.Equal(Md5("a: 1\n"), all.GetProperty("md5").GetString());
        Assert.Equal("yaml", all.GetProperty("type").GetString());
        Assert.Equal("dev", all.GetProperty("tenant").GetString());
        Assert.Equal(app.Time.GetUtcNow().ToUnixTimeMilliseconds(), all.GetProperty("modifyTime").GetInt64());
    }

    [Fact]
    public async Task Get_MissingConfig_Returns404ConfigDataNotExist()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var (status, body) = await client.GetConfigAsync("nope", "DEFAULT_GROUP");

        Assert.Equal((HttpStatusCode.NotFound, "config data not exist"), (status, body));
    }

    [Fact]
    public async Task Get_MissingGroup_Returns400ParameterMissing()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var body = await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, Configs, query: [("dataId", "a")]);

        Assert.Equal("Parameter 'group' is missing", body);
    }

    [Fact]
    public async Task Publish_TenantBlankAndPublic_AreTheSameNamespace()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        await client.PublishConfigAsync("a", "g", "1", ("tenant", ""));

        Assert.Equal((HttpStatusCode.OK, "1"), await client.GetConfigAsync("a", "g", "public"));
        Assert.Equal((HttpStatusCode.OK, "1"), await client.GetConfigAsync("a", "g"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetConfigAsync("a", "g", "dev")).Status);
    }

    [Fact]
    public async Task Publish_InvalidJsonOfTypeJson_IsKeptAsTextAndLogged()
    {
        await using var app = new RegistryApp(services: services => services.AddLogging(logging => logging.AddFakeLogging()));
        using var client = app.CreateClient();

        // Nacos stores any content, and its clients retry a refused publish in a tight loop.
        Assert.Equal("true", await client.PublishConfigAsync("app.json", "g", "{broken", ("type", "json")));

        using var read = await client.GetAsync(Configs + "?dataId=app.json&group=g", Ct);
        Assert.Equal("{broken", await read.Content.ReadAsStringAsync(Ct));
        Assert.Equal("text", read.Headers.GetValues("Config-Type").Single());
        var warning = Assert.Single(app.Services.GetFakeLogCollector().GetSnapshot(), e => e.Id.Id == 3301);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("public/g/app.json is not valid json", warning.Message, StringComparison.Ordinal);
        using var native = await client.PutAsync("/v1/configs/app.json?group=g", new StringContent("{broken"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, native.StatusCode);
    }

    [Fact]
    public async Task Publish_BadDataId_Returns400()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var body = await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, Configs,
            form: [("dataId", "bad id!"), ("group", "g"), ("content", "x")]);

        Assert.Contains("dataId", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_CasMd5Matching_ReplacesAndMismatching_IsRejectedAs500()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishConfigAsync("a", "g", "v1");

        var (okStatus, okBody, ok) = await client.SendAsync(HttpMethod.Post, Configs,
            form: [("dataId", "a"), ("group", "g"), ("content", "v2")], headers: ("casMd5", Md5("v1")));
        ok.Dispose();
        var (staleStatus, staleBody, stale) = await client.SendAsync(HttpMethod.Post, Configs,
            form: [("dataId", "a"), ("group", "g"), ("content", "v3")], headers: ("casMd5", Md5("v1")));
        stale.Dispose();

        Assert.Equal((HttpStatusCode.OK, "true"), (okStatus, okBody));
        Assert.Equal((HttpStatusCode.InternalServerError, "Cas publish fail, server md5 may have changed."), (staleStatus, staleBody));
        Assert.Equal((HttpStatusCode.OK, "v2"), await client.GetConfigAsync("a", "g"));
    }

    [Fact]
    public async Task Delete_QueryOnly_ReturnsTrueAndTheConfigIsGone()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishConfigAsync("a", "g", "v1", ("tenant", "dev"));

        var reply = await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, Configs, query: [("dataId", "a"), ("group", "g"), ("tenant", "dev")]);
        var again = await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, Configs, query: [("dataId", "a"), ("group", "g"), ("tenant", "dev")]);

        Assert.Equal(("true", "true"), (reply, again));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetConfigAsync("a", "g", "dev")).Status);
    }

    [Fact]
    public async Task History_AccurateSearch_PagesVersionsNewestFirstWithOpTypes()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishConfigAsync("a", "g", "v1");
        await client.PublishConfigAsync("a", "g", "v2");
        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, Configs, query: [("dataId", "a"), ("group", "g")]);

        var page = JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/nacos/v1/cs/history",
            query: [("search", "accurate"), ("dataId", "a"), ("group", "g"), ("pageNo", "1"), ("pageSize", "2")])).RootElement;

        Assert.Equal(3, page.GetProperty("totalCount").GetInt32());
        Assert.Equal(1, page.GetProperty("pageNumber").GetInt32());
        Assert.Equal(2, page.GetProperty("pagesAvailable").GetInt32());
        var items = page.GetProperty("pageItems").EnumerateArray().ToList();
        Assert.Equal(["D", "U"], items.Select(i => i.GetProperty("opType").GetString()));
        Assert.Equal("a", items[1].GetProperty("dataId").GetString());
        Assert.Equal("g", items[1].GetProperty("group").GetString());
        Assert.Equal(Md5("v2"), items[1].GetProperty("md5").GetString());

        var first = JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/nacos/v1/cs/history",
            query: [("nid", "1"), ("dataId", "a"), ("group", "g")])).RootElement;
        Assert.Equal(("I", "v1", "1"), (first.GetProperty("opType").GetString(), first.GetProperty("content").GetString(), first.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task History_UnknownConfig_ReturnsAnEmptyPage()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var page = JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/nacos/v1/cs/history",
            query: [("search", "accurate"), ("dataId", "a"), ("group", "g")])).RootElement;

        Assert.Equal(0, page.GetProperty("totalCount").GetInt32());
        Assert.Empty(page.GetProperty("pageItems").EnumerateArray());
    }
}
