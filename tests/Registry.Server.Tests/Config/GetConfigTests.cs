using System.Net;

namespace Registry.Server.Tests.Config;

public sealed class GetConfigTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Get_Current_ReturnsRawContentWithVersionHeaders()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var config = await client.PublishAsync("app.json", "{\"a\":1}", "application/json", "group=shop");

        using var response = await client.GetAsync(ConfigApi.Path("app.json", "group=shop"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"a\":1}", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);
        Assert.Equal("1", response.Headers.GetValues("X-Config-Version").Single());
        Assert.Equal("json", response.Headers.GetValues("X-Config-Format").Single());
        Assert.Equal(config.Md5, response.Headers.GetValues("X-Config-Md5").Single());
    }

    [Theory]
    [InlineData("application/yaml", "application/yaml")]
    [InlineData("text/x-java-properties", "text/x-java-properties")]
    [InlineData("application/xml", "application/xml")]
    [InlineData("text/plain", "text/plain")]
    public async Task Get_EachFormat_IsServedWithItsMediaType(string published, string served)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app", published == "application/xml" ? "<a/>" : "a=1", published);

        using var response = await client.GetAsync(ConfigApi.Path("app"), Ct);

        Assert.Equal(served, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
    }

    [Fact]
    public async Task Get_Version_ReturnsThatVersionsContent()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");
        await client.PublishAsync("app.yaml", "a: 2\n");
        await client.PublishAsync("app.yaml", "a: 3\n");

        using var response = await client.GetAsync(ConfigApi.Path("app.yaml", "version=2"), Ct);

        Assert.Equal("a: 2\n", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("\"2\"", response.Headers.ETag!.Tag);
        Assert.Equal("a: 3\n", (await client.ReadAsync("app.yaml", "version=3")).Content);
    }

    [Fact]
    public async Task Get_UnknownVersion_Returns404Problem()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");

        using var response = await client.GetAsync(ConfigApi.Path("app.yaml", "version=9"), Ct);

        Assert.Equal("config-version-not-found", (await response.ProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Fact]
    public async Task Get_Unknown_Returns404Problem()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(ConfigApi.Path("nothing"), Ct);

        Assert.Equal("config-not-found", (await response.ProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Fact]
    public async Task Get_IfNoneMatchCurrentVersion_Returns304()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");
        using var request = new HttpRequestMessage(HttpMethod.Get, ConfigApi.Path("app.yaml"));
        request.Headers.TryAddWithoutValidation("If-None-Match", "\"1\"");
        using var stale = new HttpRequestMessage(HttpMethod.Get, ConfigApi.Path("app.yaml"));
        stale.Headers.TryAddWithoutValidation("If-None-Match", "\"0\"");

        using var response = await client.SendAsync(request, Ct);
        using var changed = await client.SendAsync(stale, Ct);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    [Theory]
    [InlineData("version=0", "version")]
    [InlineData("version=x", null)]
    [InlineData("waitAfterVersion=-1", "waitAfterVersion")]
    [InlineData("waitAfterVersion=1&timeoutMs=0", "timeoutMs")]
    [InlineData("waitAfterVersion=1&timeoutMs=600000", "timeoutMs")]
    [InlineData("timeoutMs=1000", "timeoutMs")]
    [InlineData("version=1&waitAfterVersion=1", "version")]
    public async Task Get_BadParameters_Returns400(string query, string? field)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(ConfigApi.Path("app.yaml", query), Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        if (field is not null)
        {
            Assert.NotEmpty(problem.Errors(field));
        }
    }

    [Fact]
    public async Task LongPoll_VersionAlreadyNewer_AnswersAtOnce()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");
        await client.PublishAsync("app.yaml", "a: 2\n");

        var (status, content) = await client.ReadAsync("app.yaml", "waitAfterVersion=1");

        Assert.Equal((HttpStatusCode.OK, "a: 2\n"), (status, content));
    }

    [Fact]
    public async Task LongPoll_PublishWhileWaiting_AnswersWithTheNewVersion()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");

        var poll = client.GetAsync(ConfigApi.Path("app.yaml", "waitAfterVersion=1&timeoutMs=30000"), Ct);
        await client.PublishAsync("other.yaml", "x: 1\n");
        Assert.False(poll.IsCompleted, "a change to another key must not answer the poll");
        await client.PublishAsync("app.yaml", "a: 2\n");

        using var response = await poll;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("a: 2\n", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("\"2\"", response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task LongPoll_KeyCreatedWhileWaiting_Answers()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var poll = client.GetAsync(ConfigApi.Path("new.yaml", "waitAfterVersion=0"), Ct);
        await client.PublishAsync("new.yaml", "a: 1\n");

        using var response = await poll;
        Assert.Equal("a: 1\n", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task LongPoll_NothingChangesBeforeTheTimeout_Returns304()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");

        var poll = client.GetAsync(ConfigApi.Path("app.yaml", "waitAfterVersion=1&timeoutMs=5000"), Ct);
        await Eventually.TrueAsync(() => app.Service<Registry.Server.Events.ChangeFeed>().SubscriberCount == 1, "polling");

        app.Time.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.False(poll.IsCompleted);
        app.Time.Advance(TimeSpan.FromMilliseconds(1));

        using var response = await poll;
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(("\"1\"", "1"), (response.Headers.ETag?.Tag, response.Headers.GetValues("X-Config-Version").Single()));
    }

    [Fact]
    public async Task LongPoll_DefaultTimeout_Is25Seconds()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");

        var poll = client.GetAsync(ConfigApi.Path("app.yaml", "waitAfterVersion=1"), Ct);
        await Eventually.TrueAsync(() => app.Service<Registry.Server.Events.ChangeFeed>().SubscriberCount == 1, "polling");

        app.Time.Advance(TimeSpan.FromSeconds(24));
        await Task.Delay(50, Ct);
        Assert.False(poll.IsCompleted);
        app.Time.Advance(TimeSpan.FromSeconds(1));

        using var response = await poll;
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }
}
