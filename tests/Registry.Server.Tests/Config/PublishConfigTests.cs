using System.Net;
using System.Net.Http.Json;
using Registry.Contracts.Config;

namespace Registry.Server.Tests.Config;

public sealed class PublishConfigTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Publish_NewKey_Returns201WithVersionOneMd5AndRevision()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync("app.yaml", "a: 1\n", query: "group=shop", headers: ("X-Registry-User", "alice"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var config = (await response.Content.ReadFromJsonAsync<ConfigInfo>(Ct))!;
        Assert.Equal(("public", "shop", "app.yaml", 1L, "yaml", "create"), (config.Namespace, config.Group, config.DataId, config.Version, config.Format, config.Op));
        Assert.Equal("e0ccdaf42c593022e15b18cc0e96d201", config.Md5); // printf 'a: 1\n' | md5sum
        Assert.Equal(("alice", 5), (config.Author, config.Size));
        Assert.Equal(app.Time.GetUtcNow(), config.UpdatedAt);
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);
        Assert.Equal(config.Revision, response.Revision());
    }

    [Fact]
    public async Task Publish_WithoutUserHeader_RecordsAnonymous()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var config = await client.PublishAsync("app.yaml", "a: 1\n");

        Assert.Equal("anonymous", config.Author);
    }

    [Fact]
    public async Task Publish_NewContent_TakesTheNextVersionAndRevision()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var first = await client.PublishAsync("app.yaml", "a: 1\n");

        using var response = await client.PutAsync("app.yaml", "a: 2\n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var second = (await response.Content.ReadFromJsonAsync<ConfigInfo>(Ct))!;
        Assert.Equal((2L, "update"), (second.Version, second.Op));
        Assert.True(second.Revision > first.Revision);
        Assert.Equal((HttpStatusCode.OK, "a: 2\n"), await client.ReadAsync("app.yaml"));
    }

    [Fact]
    public async Task Publish_IdenticalContent_MakesNoNewVersion()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var first = await client.PublishAsync("app.yaml", "a: 1\n");

        var again = await client.PublishAsync("app.yaml", "a: 1\n");

        Assert.Equal((first.Version, first.Revision), (again.Version, again.Revision));
        var history = await client.GetFromJsonAsync<Registry.Contracts.Paged<ConfigVersionInfo>>(ConfigApi.Path("app.yaml/history"), Ct);
        Assert.Equal(1, history!.Total);
    }

    [Theory]
    [InlineData("application/json", null, "app", "json")]
    [InlineData("text/yaml", null, "app", "yaml")]
    [InlineData("application/x-yaml; charset=utf-8", null, "app", "yaml")]
    [InlineData("text/x-java-properties", null, "app", "properties")]
    [InlineData("text/xml", null, "app", "xml")]
    [InlineData("application/vnd.acme+json", null, "app", "json")]
    [InlineData("text/plain", null, "app.json", "json")]
    [InlineData("application/yaml", null, "app.json", "json")]
    [InlineData("text/plain", "text", "app.json", "text")]
    [InlineData("application/x-www-form-urlencoded", null, "app.yml", "yaml")]
    [InlineData("application/octet-stream", null, "app.properties", "properties")]
    [InlineData("application/octet-stream", null, "app", "text")]
    [InlineData("text/plain", "JSON", "app", "json")]
    public async Task Publish_Format_ComesFromQueryThenExtensionThenContentType(string contentType, string? format, string dataId, string expected)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var content = expected switch
        {
            "json" => "{\"a\":1}",
            "xml" => "<a/>",
            _ => "a=1\n",
        };

        using var response = await client.PutAsync(dataId, content, contentType, format is null ? null : $"format={format}");

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(expected, (await response.Content.ReadFromJsonAsync<ConfigInfo>(Ct))!.Format);
        using var read = await client.GetAsync(ConfigApi.Path(dataId), Ct);
        Assert.Equal(expected, read.Headers.GetValues("X-Config-Format").Single());
    }

    [Theory]
    [InlineData("application/yaml", "a: [1,\nb: 2\n", 1)]
    [InlineData("application/yaml", "a: 1\n b: 2\n", 2)]
    [InlineData("application/json", "{\"a\":\n  1,,}", 2)]
    [InlineData("application/json", "{\"a\": 1", 1)]
    [InlineData("application/json", "{\"a\": 1,\n \"a\": 2}", 2)]
    [InlineData("application/xml", "<a><b></a>", 1)]
    [InlineData("text/x-java-properties", "a=1\nb=\\u12G4\n", 2)]
    [InlineData("text/x-java-properties", "a=1\n=orphan\n", 2)]
    public async Task Publish_BrokenDocument_Returns400WithLineAndColumnAndStoresNothing(string contentType, string content, int line)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync("app", content, contentType);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.Errors("content"));
        Assert.Equal(line, problem.GetProperty("line").GetInt32());
        Assert.True(problem.GetProperty("column").GetInt32() >= 1);
        Assert.Equal(HttpStatusCode.NotFound, (await client.ReadAsync("app")).Status);
    }

    [Theory]
    [InlineData("a: 1\nb: *unknown\n", "at", 2, 4)]
    [InlineData("a: &x 1\nb: *x\nc: [*x, *y]\n", "at", 3, 9)]
    [InlineData("server:\n  port: 8080\n   timeout: 5s\n", "at", 3, 11)]
    [InlineData("a:\n\tb: 1\n", "after", 1, 2)]
    public async Task Publish_BrokenYaml_PointsAtTheOffendingCharacter(string content, string where, int line, int column)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync("app.yaml", content);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal((line, column), (problem.GetProperty("line").GetInt32(), problem.GetProperty("column").GetInt32()));
        Assert.StartsWith($"The YAML is not valid {where} line {line}, column {column}: ", Assert.Single(problem.Errors("content")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"a\": 1,\n}", "a comma before a closing '}' or ']' is not allowed in JSON.")]
    [InlineData("{\"a\": 1 // why\n}", "comments are not allowed in JSON.")]
    public async Task Publish_JsonWithWhatJsonDoesNotAllow_SaysWhatInTheUsersTerms(string content, string said)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync("app.json", content, "text/plain");

        var error = Assert.Single((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("content"));
        Assert.EndsWith(said, error, StringComparison.Ordinal);
        Assert.DoesNotContain("reader options", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_XmlWithADtd_IsRefused()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync("app.xml", "<?xml version=\"1.0\"?>\n  <!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>", "application/xml");

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(
            ["The XML is not valid at line 2, column 3: a DTD (<!DOCTYPE …>) is not allowed in a config document."],
            problem.Errors("content"));
        Assert.Equal((2, 3), (problem.GetProperty("line").GetInt32(), problem.GetProperty("column").GetInt32()));
    }

    [Fact]
    public async Task Publish_BrokenUpdate_KeepsTheCurrentVersion()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.json", "{\"a\":1}", "application/json");

        using var response = await client.PutAsync("app.json", "{\"a\":", "application/json");

        await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal((HttpStatusCode.OK, "{\"a\":1}"), await client.ReadAsync("app.json"));
    }

    [Fact]
    public async Task Publish_LargerThanTheLimit_Returns413Problem()
    {
        await using var app = new RegistryApp(settings: new Dictionary<string, string?> { ["Registry:Config:MaxContentBytes"] = "1000" });
        using var client = app.CreateClient();

        using var atLimit = await client.PutAsync("ok.txt", new string('a', 1000), "text/plain");
        using var response = await client.PutAsync("big.txt", new string('a', 1001), "text/plain");

        Assert.Equal(HttpStatusCode.Created, atLimit.StatusCode);
        var problem = await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("content-too-large", problem.Code());
        Assert.Equal(1000, problem.GetProperty("maxBytes").GetInt32());
    }

    [Fact]
    public async Task Publish_DefaultLimit_IsOneMebibyte()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync("big.txt", new string('a', 1024 * 1024 + 1), "text/plain");

        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Publish_NotUtf8_Returns400Problem()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        using var body = new ByteArrayContent([0x61, 0xFF, 0xFE, 0x62]);

        using var response = await client.PutAsync(ConfigApi.Path("bin.txt"), body, Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("content-not-utf8", problem.Code());
        Assert.NotEmpty(problem.Errors("content"));
    }

    [Fact]
    public async Task Publish_Utf8WithBom_StoresTheTextWithoutIt()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        using var body = new ByteArrayContent([0xEF, 0xBB, 0xBF, .. "a: ü\n"u8.ToArray()]);

        (await client.PutAsync(ConfigApi.Path("app.yaml"), body, Ct)).EnsureSuccessStatusCode();

        Assert.Equal("a: ü\n", (await client.ReadAsync("app.yaml")).Content);
    }

    [Theory]
    [InlineData("bad%20id", null, "dataId")]
    [InlineData("watch", null, "dataId")]
    [InlineData("app", "group=a%20b", "group")]
    [InlineData("app", "namespace=", "namespace")]
    [InlineData("app", "format=toml", "format")]
    public async Task Publish_BadNameOrFormat_Returns400NamingTheField(string dataId, string? query, string field)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync(dataId, "a: 1\n", query: query);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors(field));
    }

    [Fact]
    public async Task Publish_DataIdTooLong_Returns400()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var ok = await client.PutAsync(new string('d', 256), "x", "text/plain");
        using var response = await client.PutAsync(new string('d', 257), "x", "text/plain");

        Assert.True(ok.IsSuccessStatusCode);
        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("dataId"));
    }

    [Theory]
    [InlineData("a\u0001b")]
    [InlineData("a-very-long-name-that-goes-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on")]
    public async Task Publish_BadAuthorHeader_Returns400(string user)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync("app.yaml", "a: 1\n", headers: ("X-Registry-User", user));

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("X-Registry-User"));
    }

    [Fact]
    public async Task Publish_UnknownNamespace_Returns404Problem()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync("app.yaml", "a: 1\n", query: "namespace=nope");

        Assert.Equal("namespace-not-found", (await response.ProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Fact]
    public async Task Publish_IfMatchCurrentVersion_Succeeds()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");

        using var response = await client.PutAsync("app.yaml", "a: 2\n", headers: ("If-Match", "\"1\""));

        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<ConfigInfo>(Ct))!.Version);
    }

    [Fact]
    public async Task Publish_IfMatchStaleVersion_Returns412WithTheCurrentVersion()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");
        await client.PublishAsync("app.yaml", "a: 2\n");

        using var response = await client.PutAsync("app.yaml", "a: 3\n", headers: ("If-Match", "\"1\""));

        var problem = await response.ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(("version-mismatch", 2), (problem.Code(), problem.GetProperty("currentVersion").GetInt32()));
        Assert.Equal("a: 2\n", (await client.ReadAsync("app.yaml")).Content);
    }

    [Fact]
    public async Task Publish_IfMatchOnMissingKey_Returns412()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync("app.yaml", "a: 1\n", headers: ("If-Match", "*"));

        Assert.Equal(0, (await response.ProblemAsync(HttpStatusCode.PreconditionFailed)).GetProperty("currentVersion").GetInt32());
    }

    [Fact]
    public async Task Publish_IfNoneMatchStar_CreatesOnlyOnce()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var created = await client.PutAsync("app.yaml", "a: 1\n", headers: ("If-None-Match", "*"));
        using var refused = await client.PutAsync("app.yaml", "a: 2\n", headers: ("If-None-Match", "*"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await refused.ProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task Publish_WeakOrListedEntityTags_Match()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");

        using var weak = await client.PutAsync("app.yaml", "a: 2\n", headers: ("If-Match", "W/\"1\""));
        using var listed = await client.PutAsync("app.yaml", "a: 3\n", headers: ("If-Match", "\"7\", \"2\""));

        Assert.True(weak.IsSuccessStatusCode);
        Assert.True(listed.IsSuccessStatusCode);
    }

    [Theory]
    [InlineData("If-Match", "abc")]
    [InlineData("If-Match", "\"-1\"")]
    [InlineData("If-None-Match", "\"x\"")]
    public async Task Publish_MalformedPrecondition_Returns400NamingTheHeader(string header, string value)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync("app.yaml", "a: 1\n", headers: (header, value));

        var message = Assert.Single((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors(header));
        Assert.StartsWith($"'{header}' must be", message, StringComparison.Ordinal);
    }
}
