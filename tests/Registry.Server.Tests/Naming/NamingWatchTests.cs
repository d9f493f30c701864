using System.Globalization;
using System.Net;
using Registry.Server.Naming;
using Registry.Server.Tests.Metadata;

namespace Registry.Server.Tests.Naming;

public sealed class NamingWatchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Watch_RegisterTimeoutAndDeregister_ProduceTheRightEventsInOrder()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var (response, stream) = await SseReader.OpenAsync(client, "/v1/services/pay/watch");
        using var _ = response;
        await using var __ = stream;
        var sweeper = app.Service<HeartbeatSweeper>();

        var a = await client.RegisterAsync("pay", "10.0.0.1");
        var b = await client.RegisterAsync("pay", "10.0.0.2");

        // a beats every 5 s, b falls silent: unhealthy after 20 s, evicted after 35 s. The sweeper's own timer
        // may sweep too whenever the clock moves, to the same effect.
        for (var second = 5; second <= 35; second += 5)
        {
            app.Time.Advance(TimeSpan.FromSeconds(5));
            await client.BeatAsync("pay", a.Id);
            if (second is 20 or 35)
            {
                await sweeper.SweepAsync(Ct);
            }
        }

        (await client.DeleteAsync(Api.Instance("pay", a.Id), Ct)).EnsureSuccessStatusCode();

        var events = await stream.NextAsync(5);
        Assert.All(events, e => Assert.Equal("instances", e.Event));
        Assert.Equal(
        [
            "10.0.0.1:up",
            "10.0.0.1:up 10.0.0.2:up",
            "10.0.0.1:up 10.0.0.2:down",
            "10.0.0.1:up",
            "",
        ], events.Select(Describe));
        var ids = events.Select(e => long.Parse(e.Id!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.All(events, e => Assert.Equal(e.Id, e.Json.GetProperty("revision").GetInt64().ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(b.Revision, ids[1]);
    }

    [Fact]
    public async Task Watch_WithFilters_SendsTheListAsAListWithThoseFiltersWould()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var (response, stream) = await SseReader.OpenAsync(client, "/v1/services/pay/watch?healthyOnly=true&cluster=a");
        using var _ = response;
        await using var __ = stream;

        await client.RegisterAsync("pay", new { ip = "10.0.0.1", port = 80, cluster = "a" });
        await client.RegisterAsync("pay", new { ip = "10.0.0.2", port = 80, cluster = "b" });
        await client.RegisterAsync("pay", new { ip = "10.0.0.3", port = 80, cluster = "a", enabled = false });

        var last = (await stream.NextAsync(3))[^1];
        Assert.Equal("10.0.0.1:up", Describe(last));
    }

    [Fact]
    public async Task Watch_MetadataChange_SendsTheDocumentThenTheNewWeightsUnderItsRevision()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var a = await client.RegisterAsync("pay", "10.0.0.1");
        var (response, stream) = await SseReader.OpenAsync(client, "/v1/services/pay/watch");
        using var _ = response;
        await using var __ = stream;

        var metadata = await client.PutMetadataAsync("pay", new { instanceWeights = new Dictionary<string, double> { [a.Id] = 4 } });

        var events = await stream.NextAsync(2);
        Assert.Equal(["metadata", "instances"], events.Select(e => e.Event));
        Assert.Equal(1, events[0].Json.GetProperty("version").GetInt64());
        Assert.Equal(4, events[1].Json.GetProperty("instances")[0].GetProperty("effectiveWeight").GetDouble());
        Assert.Equal((events[0].Id, events[1].Id), (metadata.Revision.ToString(CultureInfo.InvariantCulture), metadata.Revision.ToString(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Watch_Snapshot_SendsTheCurrentListFirst()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var last = await client.RegisterAsync("pay", "10.0.0.1");

        var (response, stream) = await SseReader.OpenAsync(client, "/v1/services/pay/watch?snapshot=true");
        using var _ = response;
        await using var __ = stream;

        var snapshot = (await stream.NextAsync())!;
        Assert.Equal(("instances", "10.0.0.1:up"), (snapshot.Event, Describe(snapshot)));
        Assert.Equal(last.Revision.ToString(CultureInfo.InvariantCulture), snapshot.Id);
    }

    [Fact]
    public async Task Watch_SnapshotOfAServiceWithAMetadataDocument_SendsTheDocumentThenTheList()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("pay", "10.0.0.1");
        var metadata = await client.PutMetadataAsync("pay", new { tags = new[] { "v2" } });

        var (response, stream) = await SseReader.OpenAsync(client, "/v1/services/pay/watch?snapshot=true");
        using var _ = response;
        await using var __ = stream;

        var events = await stream.NextAsync(2);
        Assert.Equal(["metadata", "instances"], events.Select(e => e.Event));
        Assert.Equal("v2", events[0].Json.GetProperty("tags")[0].GetString());
        Assert.Equal(metadata.Version, events[0].Json.GetProperty("version").GetInt64());
        Assert.Equal(events[0].Id, events[1].Id);
    }

    [Fact]
    public async Task Watch_SnapshotOfAServiceThatDoesNotExistYet_SendsItsEmptyList()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var (response, stream) = await SseReader.OpenAsync(client, "/v1/services/later/watch?snapshot=true");
        using var _ = response;
        await using var __ = stream;

        var snapshot = (await stream.NextAsync())!;
        Assert.Equal(("instances", "later", 0), (snapshot.Event, snapshot.Json.GetProperty("service").GetString(), snapshot.Json.GetProperty("instances").GetArrayLength()));
    }

    [Fact]
    public async Task Watch_SnapshotWhileAChangeIsHeldForCoalescing_ShowsItOnceUnderItsOwnRevision()
    {
        await using var app = new RegistryApp(settings: new Dictionary<string, string?> { ["Registry:Events:CoalesceWindow"] = "00:00:00.050" });
        using var client = app.CreateClient();
        await client.RegisterAsync("pay", "10.0.0.1");
        var held = await client.RegisterAsync("pay", "10.0.0.2");

        var (response, stream) = await SseReader.OpenAsync(client, "/v1/services/pay/watch?snapshot=true");
        using var _ = response;
        await using var __ = stream;
        app.Time.Advance(TimeSpan.FromMilliseconds(50));
        var next = await client.RegisterAsync("pay", "10.0.0.3");
        app.Time.Advance(TimeSpan.FromMilliseconds(50));

        var events = await stream.NextAsync(2);
        Assert.Equal(
            [(held.Revision, "10.0.0.1:up 10.0.0.2:up"), (next.Revision, "10.0.0.1:up 10.0.0.2:up 10.0.0.3:up")],
            events.Select(e => (long.Parse(e.Id!, CultureInfo.InvariantCulture), Describe(e))));
    }

    [Fact]
    public async Task Watch_ResumeAfterDisconnect_ReplaysTheExactMissedSequence()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        string lastId;
        var (first, stream) = await SseReader.OpenAsync(client, "/v1/services/pay/watch");
        using (first)
        await using (stream)
        {
            await client.RegisterAsync("pay", "10.0.0.1");
            lastId = (await stream.NextAsync())!.Id!;
        }

        var b = await client.RegisterAsync("pay", "10.0.0.2");
        await client.RegisterAsync("other", "10.0.9.9");
        await client.RegisterAsync("pay", "10.0.0.3");
        (await client.DeleteAsync(Api.Instance("pay", b.Id), Ct)).EnsureSuccessStatusCode();

        var (second, resumed) = await SseReader.OpenAsync(client, "/v1/services/pay/watch", lastEventId: lastId);
        using var _ = second;
        await using var __ = resumed;
        var replayed = await resumed.NextAsync(3);
        await client.RegisterAsync("pay", "10.0.0.4");
        var live = (await resumed.NextAsync())!;

        Assert.Equal(
        [
            "10.0.0.1:up 10.0.0.2:up",
            "10.0.0.1:up 10.0.0.2:up 10.0.0.3:up",
            "10.0.0.1:up 10.0.0.3:up",
            "10.0.0.1:up 10.0.0.3:up 10.0.0.4:up",
        ], replayed.Append(live).Select(Describe));
    }

    [Fact]
    public async Task Watch_BurstWithinTheCoalescingWindow_ArrivesAsOneEventWithTheLatestState()
    {
        await using var app = new RegistryApp(settings: new Dictionary<string, string?> { ["Registry:Events:CoalesceWindow"] = "00:00:00.050" });
        using var client = app.CreateClient();
        var (response, stream) = await SseReader.OpenAsync(client, "/v1/services/pay/watch");
        using var _ = response;
        await using var __ = stream;

        for (var i = 1; i <= 5; i++)
        {
            await client.RegisterAsync("pay", $"10.0.0.{i}");
        }

        var last = await client.RegisterAsync("other", "10.0.9.9");
        app.Time.Advance(TimeSpan.FromMilliseconds(50));
        await client.RegisterAsync("pay", "10.0.0.6");
        app.Time.Advance(TimeSpan.FromMilliseconds(50));

        var events = await stream.NextAsync(2);
        Assert.Equal(
        [
            "10.0.0.1:up 10.0.0.2:up 10.0.0.3:up 10.0.0.4:up 10.0.0.5:up",
            "10.0.0.1:up 10.0.0.2:up 10.0.0.3:up 10.0.0.4:up 10.0.0.5:up 10.0.0.6:up",
        ], events.Select(Describe));
        Assert.Equal((last.Revision - 1).ToString(CultureInfo.InvariantCulture), events[0].Id);
    }

    [Fact]
    public async Task Watch_Group_SendsEachServicesListOnly()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var (response, stream) = await SseReader.OpenAsync(client, "/v1/services/watch?group=shop");
        using var _ = response;
        await using var __ = stream;

        await client.RegisterAsync("elsewhere", new { ip = "10.0.0.9", port = 80 });
        await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80 }, "group=shop");
        await client.RegisterAsync("users", new { ip = "10.0.0.2", port = 80 }, "group=shop");

        var events = await stream.NextAsync(2);
        Assert.Equal(["orders", "users"], events.Select(e => e.Json.GetProperty("service").GetString()));
    }

    [Fact]
    public async Task Watch_Namespace_SendsEveryGroupOfIt()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        (await client.PutAsync("/v1/namespaces/dev", null, Ct)).EnsureSuccessStatusCode();
        var (response, stream) = await SseReader.OpenAsync(client, "/v1/services/watch?namespace=dev&group=*&snapshot=true");
        using var _ = response;
        await using var __ = stream;

        await client.RegisterAsync("public-one", new { ip = "10.0.0.9", port = 80 });
        await client.RegisterAsync("a", new { ip = "10.0.0.1", port = 80 }, "namespace=dev&group=one");
        await client.RegisterAsync("b", new { ip = "10.0.0.2", port = 80 }, "namespace=dev&group=two");

        var events = await stream.NextAsync(2);
        Assert.Equal([("one", "a"), ("two", "b")],
            events.Select(e => (e.Json.GetProperty("group").GetString(), e.Json.GetProperty("service").GetString())));
    }

    [Theory]
    [InlineData("/v1/services/watch?group=a%20b", "group")]
    [InlineData("/v1/services/pay/watch?group=*", "group")]
    [InlineData("/v1/services/pay/watch?cluster=%20%2F", "cluster")]
    [InlineData("/v1/services/pay/watch?protocol=1x", "protocol")]
    [InlineData("/v1/services/pay/watch?lastEventId=x", "Last-Event-ID")]
    [InlineData("/v1/services/bad%20name/watch", "service")]
    public async Task Watch_BadParameters_Returns400(string path, string field)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path, Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors(field));
    }

    [Fact]
    public async Task Register_ServiceNamedWatch_Returns400()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync(Api.Instances("watch"), RegisterInstanceTests.Json("""{"ip":"10.0.0.1","port":80}"""), Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("service"));
    }

    /// <summary>"ip:up ip:down …" of an instances event.</summary>
    private static string Describe(SseEvent e) =>
        string.Join(' ', e.Json.GetProperty("instances").EnumerateArray().Select(i =>
            $"{i.GetProperty("ip").GetString()}:{(i.GetProperty("healthy").GetBoolean() ? "up" : "down")}"));
}
