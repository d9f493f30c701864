using System.Net;
using Registry.Server.Events;

namespace Registry.Server.Tests.Config;

public sealed class ConfigWatchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Watch_PublishWhileWatching_DeliversTheChangeWithItsRevision()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var (response, stream) = await SseReader.OpenAsync(client, "/v1/configs/watch?dataId=app.yaml&group=shop");
        using var _ = response;
        await using var __ = stream;

        var published = await client.PublishAsync("app.yaml", "a: 4\n", query: "group=shop");

        var change = (await stream.NextAsync())!;
        Assert.Equal(("config", published.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture)), (change.Event, change.Id));
        var data = change.Json;
        Assert.Equal("public", data.GetProperty("namespace").GetString());
        Assert.Equal("shop", data.GetProperty("group").GetString());
        Assert.Equal("app.yaml", data.GetProperty("dataId").GetString());
        Assert.Equal(1, data.GetProperty("version").GetInt64());
        Assert.Equal(published.Md5, data.GetProperty("md5").GetString());
        Assert.Equal("create", data.GetProperty("op").GetString());
        Assert.Equal("yaml", data.GetProperty("format").GetString());
        Assert.Equal("a: 4\n", data.GetProperty("content").GetString());
    }

    [Fact]
    public async Task Watch_SomeDataIds_DeliversOnlyThose()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var (response, stream) = await SseReader.OpenAsync(client, "/v1/configs/watch?dataId=a&dataId=c");
        using var _ = response;
        await using var __ = stream;

        foreach (var id in new[] { "a", "b", "c" })
        {
            await client.PublishAsync(id, "x", "text/plain");
        }

        Assert.Equal(["a", "c"], (await stream.NextAsync(2)).Select(e => e.Json.GetProperty("dataId").GetString()));
    }

    [Fact]
    public async Task Watch_Group_DeliversEveryKeyOfItOnly()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var (response, stream) = await SseReader.OpenAsync(client, "/v1/configs/watch?group=shop");
        using var _ = response;
        await using var __ = stream;

        await client.PublishAsync("other", "x", "text/plain", "group=blog");
        await client.PublishAsync("one", "x", "text/plain", "group=shop");
        await client.PublishAsync("two", "x", "text/plain", "group=shop");

        Assert.Equal(["one", "two"], (await stream.NextAsync(2)).Select(e => e.Json.GetProperty("dataId").GetString()));
    }

    [Fact]
    public async Task Watch_Namespace_DeliversEveryGroupOfItOnly()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        (await client.PutAsync("/v1/namespaces/dev", null, Ct)).EnsureSuccessStatusCode();
        var (response, stream) = await SseReader.OpenAsync(client, "/v1/configs/watch?namespace=dev&group=*");
        using var _ = response;
        await using var __ = stream;

        await client.PublishAsync("public-one", "x", "text/plain");
        await client.PublishAsync("a", "x", "text/plain", "namespace=dev&group=one");
        await client.PublishAsync("b", "x", "text/plain", "namespace=dev&group=two");

        Assert.Equal([("one", "a"), ("two", "b")],
            (await stream.NextAsync(2)).Select(e => (e.Json.GetProperty("group").GetString(), e.Json.GetProperty("dataId").GetString())));
    }

    [Fact]
    public async Task Watch_Snapshot_SendsTheCurrentStateFirst()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("a.yaml", "a: 1\n", query: "group=shop");
        await client.PublishAsync("a.yaml", "a: 2\n", query: "group=shop");
        await client.PublishAsync("b.yaml", "b: 1\n", query: "group=shop");
        await client.PublishAsync("gone.yaml", "g: 1\n", query: "group=shop");
        (await client.DeleteAsync(ConfigApi.Path("gone.yaml", "group=shop"), Ct)).EnsureSuccessStatusCode();
        var (response, stream) = await SseReader.OpenAsync(client, "/v1/configs/watch?group=shop&snapshot=true");
        using var _ = response;
        await using var __ = stream;

        var snapshot = await stream.NextAsync(2);
        await client.PublishAsync("b.yaml", "b: 2\n", query: "group=shop");
        var live = (await stream.NextAsync())!;

        Assert.Equal([("a.yaml", "a: 2\n", "snapshot"), ("b.yaml", "b: 1\n", "snapshot")], snapshot.Select(e =>
            (e.Json.GetProperty("dataId").GetString(), e.Json.GetProperty("content").GetString(), e.Json.GetProperty("op").GetString())));
        Assert.All(snapshot, e => Assert.Equal("5", e.Id));
        Assert.Equal(("b.yaml", "update"), (live.Json.GetProperty("dataId").GetString(), live.Json.GetProperty("op").GetString()));
        Assert.True(long.Parse(live.Id!, System.Globalization.CultureInfo.InvariantCulture) > 5);
    }

    [Fact]
    public async Task Watch_DeleteAndRollback_AreDeliveredWithTheirOp()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("app.yaml", "a: 1\n");
        await client.PublishAsync("app.yaml", "a: 2\n");
        var (response, stream) = await SseReader.OpenAsync(client, "/v1/configs/watch?dataId=app.yaml");
        using var _ = response;
        await using var __ = stream;

        (await client.PostAsync(ConfigApi.Path("app.yaml/rollback", "to=1"), null, Ct)).EnsureSuccessStatusCode();
        (await client.DeleteAsync(ConfigApi.Path("app.yaml"), Ct)).EnsureSuccessStatusCode();

        var events = await stream.NextAsync(2);
        Assert.Equal(("rollback", "a: 1\n"), (events[0].Json.GetProperty("op").GetString(), events[0].Json.GetProperty("content").GetString()));
        Assert.Equal("delete", events[1].Json.GetProperty("op").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, events[1].Json.GetProperty("content").ValueKind);
    }

    [Fact]
    public async Task Watch_ResumeWithLastEventId_ReplaysExactlyTheMissedEventsThenGoesLive()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        string lastId;
        var (first, stream) = await SseReader.OpenAsync(client, "/v1/configs/watch?dataId=app.yaml");
        using (first)
        await using (stream)
        {
            await client.PublishAsync("app.yaml", "a: 1\n");
            lastId = (await stream.NextAsync())!.Id!;
        }

        // While disconnected: changes to the watched key and to others.
        await client.PublishAsync("app.yaml", "a: 2\n");
        await client.PublishAsync("other.yaml", "o: 1\n");
        await client.PublishAsync("app.yaml", "a: 3\n");
        await client.PublishAsync("app.yaml", "a: 4\n");

        var (second, resumed) = await SseReader.OpenAsync(client, "/v1/configs/watch?dataId=app.yaml", lastEventId: lastId);
        using var _ = second;
        await using var __ = resumed;
        var replayed = await resumed.NextAsync(3);
        await client.PublishAsync("app.yaml", "a: 5\n");
        var live = (await resumed.NextAsync())!;

        Assert.Equal(["a: 2\n", "a: 3\n", "a: 4\n", "a: 5\n"],
            replayed.Append(live).Select(e => e.Json.GetProperty("content").GetString()));
        var ids = replayed.Append(live).Select(e => long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.True(ids[0] > long.Parse(lastId, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Watch_ResumeWithQueryParameter_WorksLikeTheHeader()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var first = await client.PublishAsync("app.yaml", "a: 1\n");
        await client.PublishAsync("app.yaml", "a: 2\n");

        var (response, stream) = await SseReader.OpenAsync(client, $"/v1/configs/watch?dataId=app.yaml&lastEventId={first.Revision}");
        using var _ = response;
        await using var __ = stream;

        Assert.Equal("a: 2\n", (await stream.NextAsync())!.Json.GetProperty("content").GetString());
    }

    [Fact]
    public async Task Watch_ResumePointNewerThanTheServer_SendsResetSayingTheIdIsUnknown()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var published = await client.PublishAsync("app.yaml", "a: 1\n");

        var (response, stream) = await SseReader.OpenAsync(client, "/v1/configs/watch?dataId=app.yaml&snapshot=true", lastEventId: "999");
        using var _ = response;
        await using var __ = stream;

        var reset = (await stream.NextAsync())!;
        Assert.Equal(("reset", "unknown-id", published.Revision), (reset.Event, reset.Json.GetProperty("reason").GetString(), reset.Json.GetProperty("revision").GetInt64()));
        Assert.Equal("a: 1\n", (await stream.NextAsync())!.Json.GetProperty("content").GetString());
    }

    [Fact]
    public async Task Watch_ResumePointNoLongerRetained_SendsResetThenGoesOn()
    {
        await using var app = new RegistryApp(settings: new Dictionary<string, string?> { ["Registry:Events:RetainedEvents"] = "3" });
        using var client = app.CreateClient();
        var first = await client.PublishAsync("app.yaml", "a: 1\n");
        for (var i = 2; i <= 6; i++)
        {
            await client.PublishAsync("app.yaml", $"a: {i}\n");
        }

        var (response, stream) = await SseReader.OpenAsync(client, "/v1/configs/watch?dataId=app.yaml&snapshot=true", lastEventId: first.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var _ = response;
        await using var __ = stream;

        var reset = (await stream.NextAsync())!;
        var snapshot = (await stream.NextAsync())!;
        Assert.Equal("reset", reset.Event);
        Assert.Equal("too-old", reset.Json.GetProperty("reason").GetString());
        Assert.Equal(6, reset.Json.GetProperty("revision").GetInt64());
        Assert.Equal("a: 6\n", snapshot.Json.GetProperty("content").GetString());
    }

    [Fact]
    public async Task Watch_ResumePointFromTheFuture_SendsReset()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var (response, stream) = await SseReader.OpenAsync(client, "/v1/configs/watch", lastEventId: "999");
        using var _ = response;
        await using var __ = stream;

        Assert.Equal("reset", (await stream.NextAsync())!.Event);
    }

    [Fact]
    public async Task Watch_Idle_SendsAKeepAliveCommentEveryInterval()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var (response, stream) = await SseReader.OpenAsync(client, "/v1/configs/watch");
        using var _ = response;
        await using var __ = stream;

        app.Time.Advance(TimeSpan.FromSeconds(15));

        Assert.Equal(": keep-alive", await stream.NextCommentAsync());
    }

    [Fact]
    public async Task Watch_OpensWithAReconnectHint()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/v1/configs/watch", HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));

        Assert.Equal("retry: 3000", await reader.ReadLineAsync(Ct));
        Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Watch_ClientGoesAway_EndsItsSubscription()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var feed = app.Service<ChangeFeed>();
        var (response, stream) = await SseReader.OpenAsync(client, "/v1/configs/watch");
        Assert.Equal(1, feed.SubscriberCount);

        await stream.DisposeAsync();
        response.Dispose();

        await Eventually.TrueAsync(() => feed.SubscriberCount == 0, "unsubscribed");
    }

    [Theory]
    [InlineData("/v1/configs/watch?group=a%20b", "group")]
    [InlineData("/v1/configs/watch?namespace=", "namespace")]
    [InlineData("/v1/configs/watch?dataId=ok&dataId=x%20y", "dataId[1]")]
    [InlineData("/v1/configs/watch?lastEventId=abc", "Last-Event-ID")]
    [InlineData("/v1/configs/watch?lastEventId=-4", "Last-Event-ID")]
    public async Task Watch_BadParameters_Returns400BeforeStreaming(string path, string field)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path, Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors(field));
    }

    [Fact]
    public async Task Watch_MoreDataIdsThanTheLimit_SaysHowManyMayBeGiven()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/v1/configs/watch?" + string.Join('&', Enumerable.Range(0, 257).Select(i => $"dataId=k{i}")), Ct);

        Assert.Equal(
            ["'dataId' may be given at most 256 times; watch the group instead."],
            (await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("dataId"));
    }

    [Fact]
    public async Task Watch_BadLastEventIdHeader_Returns400()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/configs/watch");
        request.Headers.Add("Last-Event-ID", "yesterday");

        using var response = await client.SendAsync(request, Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("Last-Event-ID"));
    }
}
