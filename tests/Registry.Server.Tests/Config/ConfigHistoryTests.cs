using System.Net;
using System.Net.Http.Json;
using Registry.Contracts;
using Registry.Contracts.Config;
using Registry.Server.Config;

namespace Registry.Server.Tests.Config;

public sealed class ConfigHistoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task History_ManyVersions_IsPagedNewestFirst()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        for (var i = 1; i <= 5; i++)
        {
            await client.PublishAsync("app.yaml", $"a: {i}\n");
        }

        var first = await client.GetFromJsonAsync<Paged<ConfigVersionInfo>>(ConfigApi.Path("app.yaml/history", "pageSize=2"), Ct);
        var last = await client.GetFromJsonAsync<Paged<ConfigVersionInfo>>(ConfigApi.Path("app.yaml/history", "pageSize=2&page=3"), Ct);

        Assert.Equal(5, first!.Total);
        Assert.Equal([5L, 4L], first.Items.Select(v => v.Version));
        Assert.Equal([1L], last!.Items.Select(v => v.Version));
        Assert.Equal(["create"], last.Items.Select(v => v.Op));
        Assert.All(first.Items, v => Assert.Equal("yaml", v.Format));
    }

    [Fact]
    public async Task History_UnknownKey_Returns404()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(ConfigApi.Path("nothing/history"), Ct);

        Assert.Equal("config-not-found", (await response.ProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Fact]
    public async Task Diff_TwoVersions_IsAUnifiedDiff()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\nb: 2\n");
        await client.PublishAsync("app.yaml", "a: 1\nb: 3\nc: 4\n");

        using var response = await client.GetAsync(ConfigApi.Path("app.yaml/diff", "from=1&to=2"), Ct);

        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync(Ct)).Split('\n');
        Assert.Equal(["--- app.yaml@1", "+++ app.yaml@2", "@@ -1,2 +1,3 @@", " a: 1", "-b: 2", "+b: 3", "+c: 4"], lines.Take(7));
    }

    [Fact]
    public async Task Diff_WithoutTo_ComparesWithTheCurrentVersion()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");
        await client.PublishAsync("app.yaml", "a: 2\n");
        await client.PublishAsync("app.yaml", "a: 3\n");

        var diff = await client.GetStringAsync(ConfigApi.Path("app.yaml/diff", "from=1"), Ct);

        Assert.Contains("+++ app.yaml@3", diff, StringComparison.Ordinal);
        Assert.Contains("-a: 1\n+a: 3", diff, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("from=9", HttpStatusCode.NotFound)]
    [InlineData("from=1&to=9", HttpStatusCode.NotFound)]
    [InlineData("from=0", HttpStatusCode.BadRequest)]
    [InlineData("to=1", HttpStatusCode.BadRequest)]
    public async Task Diff_BadVersions_AreRefused(string query, HttpStatusCode status)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");

        using var response = await client.GetAsync(ConfigApi.Path("app.yaml/diff", query), Ct);

        await response.ProblemAsync(status);
    }

    [Fact]
    public async Task Rollback_ToAnEarlierVersion_PublishesItsContentAsTheNextVersion()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");
        var second = await client.PublishAsync("app.yaml", "a: 2\n");

        using var response = await client.PostAsync(ConfigApi.Path("app.yaml/rollback", "to=1"), null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rolled = (await response.Content.ReadFromJsonAsync<ConfigInfo>(Ct))!;
        Assert.Equal((3L, "rollback"), (rolled.Version, rolled.Op));
        Assert.True(rolled.Revision > second.Revision);
        Assert.Equal("\"3\"", response.Headers.ETag!.Tag);
        Assert.Equal("a: 1\n", (await client.ReadAsync("app.yaml")).Content);
        Assert.Equal("a: 2\n", (await client.ReadAsync("app.yaml", "version=2")).Content);
    }

    [Fact]
    public async Task Rollback_ToTheCurrentContent_ChangesNothing()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");
        await client.PublishAsync("app.yaml", "a: 2\n");
        await client.PublishAsync("app.yaml", "a: 1\n");

        var rolled = await (await client.PostAsync(ConfigApi.Path("app.yaml/rollback", "to=1"), null, Ct))
            .Content.ReadFromJsonAsync<ConfigInfo>(Ct);

        Assert.Equal(3, rolled!.Version);
    }

    [Fact]
    public async Task Rollback_WithStaleIfMatch_Returns412()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");
        await client.PublishAsync("app.yaml", "a: 2\n");
        using var request = new HttpRequestMessage(HttpMethod.Post, ConfigApi.Path("app.yaml/rollback", "to=1"));
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");

        using var response = await client.SendAsync(request, Ct);

        await response.ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("a: 2\n", (await client.ReadAsync("app.yaml")).Content);
    }

    [Theory]
    [InlineData("to=7", HttpStatusCode.NotFound, "config-version-not-found")]
    [InlineData("to=2", HttpStatusCode.NotFound, "config-version-deleted")]
    [InlineData("to=0", HttpStatusCode.BadRequest, "validation-failed")]
    [InlineData("to=abc", HttpStatusCode.BadRequest, "validation-failed")]
    public async Task Rollback_ToAVersionWithoutContent_IsRefused(string query, HttpStatusCode status, string code)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");
        (await client.DeleteAsync(ConfigApi.Path("app.yaml"), Ct)).EnsureSuccessStatusCode();

        using var response = await client.PostAsync(ConfigApi.Path("app.yaml/rollback", query), null, Ct);

        Assert.Equal(code, (await response.ProblemAsync(status)).Code());
    }

    [Fact]
    public async Task Rollback_AfterDelete_BringsTheContentBack()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");
        (await client.DeleteAsync(ConfigApi.Path("app.yaml"), Ct)).EnsureSuccessStatusCode();

        using var response = await client.PostAsync(ConfigApi.Path("app.yaml/rollback", "to=1"), null, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal((HttpStatusCode.OK, "a: 1\n"), await client.ReadAsync("app.yaml"));
    }

    [Fact]
    public async Task Delete_Existing_Returns204RecordsItAndReadsGet404()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var config = await client.PublishAsync("app.yaml", "a: 1\n");

        using var response = await client.DeleteAsync(ConfigApi.Path("app.yaml"), Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(response.Revision() > config.Revision);
        Assert.Equal(HttpStatusCode.NotFound, (await client.ReadAsync("app.yaml")).Status);
        var history = await client.GetFromJsonAsync<Paged<ConfigVersionInfo>>(ConfigApi.Path("app.yaml/history"), Ct);
        Assert.Equal(["delete", "create"], history!.Items.Select(v => v.Op));
        Assert.Equal("config-version-deleted", (await (await client.GetAsync(ConfigApi.Path("app.yaml", "version=2"), Ct))
            .ProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Fact]
    public async Task Publish_AfterDelete_ContinuesTheNumberingAsACreate()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");
        (await client.DeleteAsync(ConfigApi.Path("app.yaml"), Ct)).EnsureSuccessStatusCode();

        var again = await client.PublishAsync("app.yaml", "a: 1\n");

        Assert.Equal((3L, "create"), (again.Version, again.Op));
    }

    [Fact]
    public async Task Delete_Unknown_Returns404()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.DeleteAsync(ConfigApi.Path("nothing"), Ct);

        Assert.Equal("config-not-found", (await response.ProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Fact]
    public async Task Delete_WithStaleIfMatch_Returns412AndKeepsIt()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");
        await client.PublishAsync("app.yaml", "a: 2\n");
        using var request = new HttpRequestMessage(HttpMethod.Delete, ConfigApi.Path("app.yaml"));
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");

        using var response = await client.SendAsync(request, Ct);

        await response.ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(HttpStatusCode.OK, (await client.ReadAsync("app.yaml")).Status);
    }

    [Fact]
    public async Task Retention_ByCount_KeepsOnlyTheNewestVersions()
    {
        await using var app = new RegistryApp(settings: new Dictionary<string, string?> { ["Registry:Config:HistoryMaxVersions"] = "3" });
        using var client = app.CreateClient();
        for (var i = 1; i <= 6; i++)
        {
            await client.PublishAsync("app.yaml", $"a: {i}\n");
        }

        var history = await client.GetFromJsonAsync<Paged<ConfigVersionInfo>>(ConfigApi.Path("app.yaml/history"), Ct);

        Assert.Equal([6L, 5L, 4L], history!.Items.Select(v => v.Version));
        Assert.Equal(3, history.Total);
        Assert.Equal(HttpStatusCode.NotFound, (await client.ReadAsync("app.yaml", "version=3")).Status);
        Assert.Equal("a: 4\n", (await client.ReadAsync("app.yaml", "version=4")).Content);
    }

    [Fact]
    public async Task Retention_ByAge_RemovesOldVersionsButNeverTheCurrentOne()
    {
        await using var app = new RegistryApp(settings: new Dictionary<string, string?> { ["Registry:Config:HistoryMaxAge"] = "1.00:00:00" });
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");
        await client.PublishAsync("app.yaml", "a: 2\n");
        await client.PublishAsync("old.yaml", "o: 1\n");
        app.Time.Advance(TimeSpan.FromHours(30));
        await client.PublishAsync("app.yaml", "a: 3\n");

        await app.Service<ConfigHistoryRetention>().TrimAsync(Ct);

        var history = await client.GetFromJsonAsync<Paged<ConfigVersionInfo>>(ConfigApi.Path("app.yaml/history"), Ct);
        Assert.Equal([3L], history!.Items.Select(v => v.Version));
        var old = await client.GetFromJsonAsync<Paged<ConfigVersionInfo>>(ConfigApi.Path("old.yaml/history"), Ct);
        Assert.Equal([1L], old!.Items.Select(v => v.Version));
        Assert.Equal("o: 1\n", (await client.ReadAsync("old.yaml")).Content);
    }
}
