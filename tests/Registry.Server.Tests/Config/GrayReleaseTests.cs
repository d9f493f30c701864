using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Registry.Contracts;
using Registry.Contracts.Config;
using Mediator;
using Registry.Server.Config;
using Registry.Server.Events;

namespace Registry.Server.Tests.Config;

/// <summary>Gray releases of config items through the native API: who gets what, on every read path, and history.</summary>
public sealed class GrayReleaseTests
{
    private const string Item = "app.yaml";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Gray_LabelledClient_GetsTheGrayVersionAndOthersTheReleasedOne()
    {
        await using var app = new RegistryApp();
        using var admin = app.CreateClient();
        await admin.PublishAsync(Item, "mode: old\n");

        var gray = await PublishGrayAsync(admin, "mode: new\n", new { labels = new { canary = "true" } });

        Assert.Equal((2L, 1L, "gray"), (gray.Version, gray.ReleasedVersion, gray.Op));
        using var canary = Client(app, labels: "canary=true,zone=eu");
        using var read = await canary.GetAsync(ConfigApi.Path(Item), Ct);
        Assert.Equal("mode: new\n", await read.Content.ReadAsStringAsync(Ct));
        Assert.Equal("\"2\"", read.Headers.ETag?.Tag);
        Assert.Equal("true", read.Headers.GetValues("X-Config-Gray").Single());
        Assert.Equal((HttpStatusCode.OK, "mode: old\n"), await admin.ReadAsync(Item));
        using var other = Client(app, labels: "canary=false");
        Assert.Equal((HttpStatusCode.OK, "mode: old\n"), await other.ReadAsync(Item));
    }

    [Fact]
    public async Task Gray_ClientAddressesAndRanges_GetTheGrayVersion()
    {
        await using var app = new RegistryApp(services: ClientAddresses.AddTo);
        using var admin = app.CreateClient();
        await admin.PublishAsync(Item, "mode: old\n");
        await PublishGrayAsync(admin, "mode: new\n", new { addresses = new[] { "10.0.0.7", "10.1.0.0/16", "fd00::/8" } });

        string[] reads = await Task.WhenAll(new[] { "10.0.0.7", "10.1.200.3", "fd00::1", "::ffff:10.1.0.9", "10.0.0.8", "10.2.0.1" }
            .Select(async address => (await Client(app, address: address).ReadAsync(Item)).Content));

        Assert.Equal(["mode: new\n", "mode: new\n", "mode: new\n", "mode: new\n", "mode: old\n", "mode: old\n"], reads);
    }

    [Fact]
    public async Task Gray_Percentage_TakesAStableShareAndWideningKeepsItsClients()
    {
        await using var app = new RegistryApp();
        using var admin = app.CreateClient();
        await admin.PublishAsync(Item, "mode: old\n");
        await PublishGrayAsync(admin, "mode: new\n", new { percentage = 10 });
        var ids = Enumerable.Range(0, 400).Select(i => $"pod-{i}").ToList();

        var tenth = await GrayClientsAsync(app, ids);
        Assert.Equal(tenth, await GrayClientsAsync(app, ids));
        await SetRuleAsync(admin, new { percentage = 50 });
        var half = await GrayClientsAsync(app, ids);

        Assert.InRange(tenth.Count, 20, 60);
        Assert.InRange(half.Count, 160, 240);
        Assert.Subset(half.ToHashSet(), tenth.ToHashSet());
    }

    [Fact]
    public async Task Promote_GrayVersion_IsReleasedToEveryoneAndHistorySaysSo()
    {
        await using var app = new RegistryApp();
        using var admin = app.CreateClient();
        await admin.PublishAsync(Item, "mode: old\n");
        await PublishGrayAsync(admin, "mode: new\n", new { labels = new { canary = "true" } });
        await SetRuleAsync(admin, new { labels = new { canary = "true" }, percentage = 5 });

        using var promoted = await admin.PostAsync(ConfigApi.Path(Item + "/gray/promote"), null, Ct);

        var released = (await promoted.Content.ReadFromJsonAsync<ConfigInfo>(Ct))!;
        Assert.Equal((4L, "promote", false), (released.Version, released.Op, released.Gray));
        Assert.Equal((HttpStatusCode.OK, "mode: new\n"), await admin.ReadAsync(Item));
        Assert.Equal(["promote", "gray-rule", "gray", "create"], (await HistoryAsync(admin)).Select(v => v.Op));
        Assert.Equal(5, (await HistoryAsync(admin))[1].Rule?.Percentage);
        using var none = await admin.GetAsync(ConfigApi.Path(Item + "/gray"), Ct);
        Assert.Equal("gray-not-found", (await none.ProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Fact]
    public async Task Abort_GrayVersion_ItsClientsFallBackAndHistorySaysSo()
    {
        await using var app = new RegistryApp();
        using var admin = app.CreateClient();
        await admin.PublishAsync(Item, "mode: old\n");
        await PublishGrayAsync(admin, "mode: new\n", new { labels = new { canary = "true" } });

        using var aborted = await admin.DeleteAsync(ConfigApi.Path(Item + "/gray"), Ct);

        Assert.Equal((3L, "gray-abort"), (await aborted.Content.ReadFromJsonAsync<ConfigVersionInfo>(Ct)) is { } v ? (v.Version, v.Op) : default);
        using var canary = Client(app, labels: "canary=true");
        Assert.Equal((HttpStatusCode.OK, "mode: old\n"), await canary.ReadAsync(Item));
        Assert.Equal(["gray-abort", "gray", "create"], (await HistoryAsync(admin)).Select(v => v.Op));
        // The gray version stays readable in history; the abort has no content.
        Assert.Equal((HttpStatusCode.OK, "mode: new\n"), await admin.ReadAsync(Item, "version=2"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.ReadAsync(Item, "version=3")).Status);
        var next = await admin.PublishAsync(Item, "mode: newer\n");
        Assert.Equal(4, next.Version);
    }

    [Fact]
    public async Task Publish_ReleasedVersionDuringAGrayRelease_ReachesOnlyTheOtherClients()
    {
        await using var app = new RegistryApp();
        using var admin = app.CreateClient();
        await admin.PublishAsync(Item, "mode: old\n");
        await PublishGrayAsync(admin, "mode: new\n", new { labels = new { canary = "true" } });

        var released = await admin.PublishAsync(Item, "mode: fixed\n");

        Assert.Equal(3, released.Version);
        Assert.Equal((HttpStatusCode.OK, "mode: fixed\n"), await admin.ReadAsync(Item));
        using var canary = Client(app, labels: "canary=true");
        Assert.Equal((HttpStatusCode.OK, "mode: new\n"), await canary.ReadAsync(Item));
        Assert.Equal((2L, 3L), await admin.GetFromJsonAsync<ConfigGrayInfo>(ConfigApi.Path(Item + "/gray"), Ct) is { } g ? (g.Version, g.ReleasedVersion) : default);
    }

    [Fact]
    public async Task ConditionalGet_TheGrayVersionsETag_Is304ForAGrayClientAnd200ForOthers()
    {
        await using var app = new RegistryApp();
        using var admin = app.CreateClient();
        await admin.PublishAsync(Item, "mode: old\n");
        await PublishGrayAsync(admin, "mode: new\n", new { labels = new { canary = "true" } });

        using var canary = Client(app, labels: "canary=true");
        canary.DefaultRequestHeaders.TryAddWithoutValidation("If-None-Match", "\"2\"");
        using var unchanged = await canary.GetAsync(ConfigApi.Path(Item), Ct);
        using var other = Client(app);
        other.DefaultRequestHeaders.TryAddWithoutValidation("If-None-Match", "\"2\"");
        using var changed = await other.GetAsync(ConfigApi.Path(Item), Ct);

        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    [Fact]
    public async Task LongPoll_RuleWidenedToTheClient_AnswersWithTheGrayVersion()
    {
        await using var app = new RegistryApp();
        using var admin = app.CreateClient();
        await admin.PublishAsync(Item, "mode: old\n");
        await PublishGrayAsync(admin, "mode: new\n", new { labels = new { canary = "true" } });
        using var eu = Client(app, labels: "zone=eu");

        var poll = eu.GetAsync(ConfigApi.Path(Item, "waitAfterVersion=1&timeoutMs=60000"), Ct);
        await Eventually.TrueAsync(() => app.Service<Registry.Server.Events.ChangeFeed>().SubscriberCount > 0, "the poll waiting");
        var widened = await SetRuleAsync(admin, new { labels = new { zone = "eu" } });

        using var answered = await poll;
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("mode: new\n", await answered.Content.ReadAsStringAsync(Ct));
        Assert.Equal(widened.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), answered.Headers.GetValues("X-Config-Version").Single());
    }

    [Fact]
    public async Task LongPoll_GrayAborted_AnswersTheGrayClientWithTheReleasedVersion()
    {
        await using var app = new RegistryApp();
        using var admin = app.CreateClient();
        await admin.PublishAsync(Item, "mode: old\n");
        await PublishGrayAsync(admin, "mode: new\n", new { labels = new { canary = "true" } });
        using var canary = Client(app, labels: "canary=true");

        var poll = canary.GetAsync(ConfigApi.Path(Item, "waitAfterVersion=2&timeoutMs=60000"), Ct);
        await Eventually.TrueAsync(() => app.Service<Registry.Server.Events.ChangeFeed>().SubscriberCount > 0, "the poll waiting");
        (await admin.DeleteAsync(ConfigApi.Path(Item + "/gray"), Ct)).EnsureSuccessStatusCode();

        using var answered = await poll;
        Assert.Equal("mode: old\n", await answered.Content.ReadAsStringAsync(Ct));
        Assert.Equal("1", answered.Headers.GetValues("X-Config-Version").Single());
    }

    [Fact]
    public async Task Watch_GrayClient_GetsTheGrayVersionThenFallsBackWhenItIsAborted()
    {
        await using var app = new RegistryApp();
        using var admin = app.CreateClient();
        await admin.PublishAsync(Item, "mode: old\n");
        using var canary = Client(app, labels: "canary=true");
        using var plain = Client(app);
        var (grayResponse, grayStream) = await SseReader.OpenAsync(canary, $"/v1/configs/watch?dataId={Item}&snapshot=true");
        var (plainResponse, plainStream) = await SseReader.OpenAsync(plain, $"/v1/configs/watch?dataId={Item}&snapshot=true");
        using var _ = grayResponse;
        using var __ = plainResponse;
        await using var ___ = grayStream;
        await using var ____ = plainStream;
        Assert.Equal(1, (await grayStream.NextAsync())!.Json.GetProperty("version").GetInt64());
        Assert.Equal(1, (await plainStream.NextAsync())!.Json.GetProperty("version").GetInt64());

        await PublishGrayAsync(admin, "mode: new\n", new { labels = new { canary = "true" } });
        var gray = (await grayStream.NextAsync())!.Json;
        (await admin.DeleteAsync(ConfigApi.Path(Item + "/gray"), Ct)).EnsureSuccessStatusCode();
        var fallback = (await grayStream.NextAsync())!.Json;
        await admin.PublishAsync(Item, "mode: fixed\n");

        Assert.Equal((2L, "gray", true, "mode: new\n"), Shape(gray));
        Assert.Equal((1L, "gray-abort", false, "mode: old\n"), Shape(fallback));
        Assert.Equal((4L, "update", false, "mode: fixed\n"), Shape((await grayStream.NextAsync())!.Json));
        // The other watcher was sent nothing of the gray release.
        Assert.Equal((4L, "update", false, "mode: fixed\n"), Shape((await plainStream.NextAsync())!.Json));
    }

    [Fact]
    public async Task Watch_WatcherBehindAWholeGrayRelease_IsSentTheVersionNowMeantOnceAsWhatItIs()
    {
        await using var app = new RegistryApp();
        using var admin = app.CreateClient();
        await admin.PublishAsync(Item, "mode: old\n");
        var mediator = app.Service<IMediator>();
        var labels = new Dictionary<string, string> { ["canary"] = "true" };
        using var canary = await mediator.Send(new WatchConfigsQuery("public", "DEFAULT_GROUP", [], false, null, new("pod-a", null, labels)), Ct);
        using var plain = await mediator.Send(new WatchConfigsQuery("public", "DEFAULT_GROUP", [], false, null, new("pod-b", null, new Dictionary<string, string>())), Ct);

        // The whole release happens before either watcher renders its first event, as for a watcher that is behind.
        await PublishGrayAsync(admin, "mode: new\n", new { labels = new { canary = "true" } });
        (await admin.DeleteAsync(ConfigApi.Path(Item + "/gray"), Ct)).EnsureSuccessStatusCode();
        await admin.PublishAsync(Item, "mode: fixed\n");
        await admin.PublishAsync("marker.txt", "end");

        // Each is sent the released version once, as the update it is, then the marker: nothing twice, no stale op.
        string[] expected = [$"{Item} 4 update", "marker.txt 1 create"];
        Assert.Equal(expected, await MessagesAsync(canary, 2));
        Assert.Equal(expected, await MessagesAsync(plain, 2));
    }

    /// <summary>The first <paramref name="count"/> messages of a watch, as "dataId version op".</summary>
    private static async Task<List<string>> MessagesAsync(Watch watch, int count)
    {
        var messages = new List<string>();
        await foreach (var message in watch.ReadAllAsync(Ct))
        {
            var json = JsonDocument.Parse(message.Data).RootElement;
            messages.Add($"{json.GetProperty("dataId").GetString()} {json.GetProperty("version").GetInt64()} {json.GetProperty("op").GetString()}");
            if (messages.Count == count)
            {
                break;
            }
        }

        return messages;
    }

    [Fact]
    public async Task Clients_ServedByReadPollAndWatch_AreListedWithTheirLabelsAndVersions()
    {
        await using var app = new RegistryApp();
        using var admin = app.CreateClient();
        await admin.PublishAsync(Item, "mode: old\n");
        await PublishGrayAsync(admin, "mode: new\n", new { labels = new { canary = "true" } });
        using var canary = Client(app, id: "pod-a", labels: "canary=true");
        using var plain = Client(app, id: "pod-b", labels: "zone=eu");
        await canary.ReadAsync(Item);
        await plain.ReadAsync(Item, "waitAfterVersion=0");

        var clients = (await admin.GetFromJsonAsync<List<ConfigClientInfo>>(ConfigApi.Path(Item + "/clients"), Ct))!;

        Assert.Equal(
            [("pod-a", 2L, true, "read", "canary=true"), ("pod-b", 1L, false, "poll", "zone=eu")],
            clients.Select(c => (c.Id, c.Version, c.Gray, c.Via, string.Join(',', c.Labels.Select(l => $"{l.Key}={l.Value}")))));
    }

    [Fact]
    public async Task Gray_InvalidRuleOrLabels_AreRefusedNamingTheRule()
    {
        await using var app = new RegistryApp();
        using var admin = app.CreateClient();
        await admin.PublishAsync(Item, "mode: old\n");

        using var empty = await admin.PutAsJsonAsync(ConfigApi.Path(Item + "/gray"), new { content = "a: 1\n", rule = new { } }, Ct);
        using var cidr = await admin.PutAsJsonAsync(ConfigApi.Path(Item + "/gray"), new { content = "a: 1\n", rule = new { addresses = new[] { "10.0.0.0/99" } } }, Ct);
        using var share = await admin.PutAsJsonAsync(ConfigApi.Path(Item + "/gray"), new { content = "a: 1\n", rule = new { percentage = 101 } }, Ct);
        using var yaml = await admin.PutAsJsonAsync(ConfigApi.Path(Item + "/gray"), new { content = "a: [\n", rule = new { percentage = 1 } }, Ct);
        using var labelled = Client(app, labels: "canary");
        using var badLabels = await labelled.GetAsync(ConfigApi.Path(Item), Ct);

        Assert.Contains("must name some clients", Assert.Single((await empty.ProblemAsync(HttpStatusCode.BadRequest)).Errors("rule")), StringComparison.Ordinal);
        Assert.Contains("CIDR", Assert.Single((await cidr.ProblemAsync(HttpStatusCode.BadRequest)).Errors("rule")), StringComparison.Ordinal);
        Assert.Contains("percentage", Assert.Single((await share.ProblemAsync(HttpStatusCode.BadRequest)).Errors("rule")), StringComparison.Ordinal);
        Assert.NotEmpty((await yaml.ProblemAsync(HttpStatusCode.BadRequest)).Errors("content"));
        Assert.NotEmpty((await badLabels.ProblemAsync(HttpStatusCode.BadRequest)).Errors("X-Registry-Labels"));
        using var none = await admin.GetAsync(ConfigApi.Path(Item + "/gray"), Ct);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task Gray_ContentUpToTheConfigLimit_IsTakenAndLargerIsRefusedAsAPublishIs()
    {
        // Above the largest metadata body: a gray release's body is bounded by the config content limit.
        const int limit = 3 * 1024 * 1024;
        await using var app = new RegistryApp(settings: new Dictionary<string, string?> { ["Registry:Config:MaxContentBytes"] = $"{limit}" });
        using var admin = app.CreateClient();
        await admin.PublishAsync("big.txt", "old");

        using var atLimit = await admin.PutAsJsonAsync(
            ConfigApi.Path("big.txt/gray"), new { content = new string('a', limit), rule = new { percentage = 5 } }, Ct);
        using var above = await admin.PutAsJsonAsync(
            ConfigApi.Path("big.txt/gray"), new { content = new string('b', limit + 1), rule = new { percentage = 5 } }, Ct);

        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        Assert.Equal("content-too-large", (await above.ProblemAsync(HttpStatusCode.RequestEntityTooLarge)).Code());
        Assert.Equal(limit, (await admin.GetFromJsonAsync<ConfigGrayInfo>(ConfigApi.Path("big.txt/gray"), Ct))!.Size);
    }

    [Fact]
    public async Task Gray_ItemWithoutAReleasedVersion_IsRefused()
    {
        await using var app = new RegistryApp();
        using var admin = app.CreateClient();

        using var response = await admin.PutAsJsonAsync(ConfigApi.Path(Item + "/gray"), new { content = "a: 1\n", rule = new { percentage = 5 } }, Ct);

        Assert.Equal("no-released-version", (await response.ProblemAsync(HttpStatusCode.Conflict)).Code());
    }

    [Fact]
    public async Task Rollback_ToTheGrayVersion_ReleasesItToEveryone()
    {
        await using var app = new RegistryApp();
        using var admin = app.CreateClient();
        await admin.PublishAsync(Item, "mode: old\n");
        await PublishGrayAsync(admin, "mode: new\n", new { labels = new { canary = "true" } });

        using var rolledBack = await admin.PostAsync(ConfigApi.Path(Item + "/rollback", "to=2"), null, Ct);

        Assert.False((await rolledBack.Content.ReadFromJsonAsync<ConfigInfo>(Ct))!.Gray);
        Assert.Equal((HttpStatusCode.OK, "mode: new\n"), await admin.ReadAsync(Item));
    }

    [Fact]
    public async Task Restart_DuringAGrayRelease_KeepsItForItsClients()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using (var first = new RegistryApp(time, dir.File("registry.db")))
        {
            using var admin = first.CreateClient();
            await admin.PublishAsync(Item, "mode: old\n");
            await PublishGrayAsync(admin, "mode: new\n", new { labels = new { canary = "true" } });
            await SetRuleAsync(admin, new { labels = new { canary = "true" }, percentage = 1 });
        }

        await using var second = new RegistryApp(time, dir.File("registry.db"));
        using var canary = Client(second, labels: "canary=true");
        using var restarted = second.CreateClient();

        Assert.Equal((HttpStatusCode.OK, "mode: new\n"), await canary.ReadAsync(Item));
        Assert.Equal((HttpStatusCode.OK, "mode: old\n"), await restarted.ReadAsync(Item));
        Assert.Equal((3L, 1), await restarted.GetFromJsonAsync<ConfigGrayInfo>(ConfigApi.Path(Item + "/gray"), Ct) is { } g ? (g.Version, g.Rule.Percentage ?? 0) : default);
        Assert.Equal(4, (await restarted.PublishAsync(Item, "mode: fixed\n")).Version);
    }

    private static (long, string, bool, string) Shape(JsonElement config) => (
        config.GetProperty("version").GetInt64(), config.GetProperty("op").GetString()!,
        config.TryGetProperty("gray", out var gray) && gray.GetBoolean(), config.GetProperty("content").GetString()!);

    private static HttpClient Client(RegistryApp app, string? labels = null, string? id = null, string? address = null)
    {
        var client = app.CreateClient();
        if (labels is not null)
        {
            client.DefaultRequestHeaders.Add(GrayRules.LabelsHeader, labels);
        }

        if (id is not null)
        {
            client.DefaultRequestHeaders.Add(GrayRules.ClientIdHeader, id);
        }

        if (address is not null)
        {
            client.DefaultRequestHeaders.Add(ClientAddresses.Header, address);
        }

        return client;
    }

    private static async Task<ConfigGrayInfo> PublishGrayAsync(HttpClient admin, string content, object rule)
    {
        using var response = await admin.PutAsJsonAsync(ConfigApi.Path(Item + "/gray"), new { content, rule }, Ct);
        Assert.True(response.IsSuccessStatusCode, $"gray: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return (await response.Content.ReadFromJsonAsync<ConfigGrayInfo>(Ct))!;
    }

    private static async Task<ConfigGrayInfo> SetRuleAsync(HttpClient admin, object rule)
    {
        using var response = await admin.PutAsJsonAsync(ConfigApi.Path(Item + "/gray/rule"), rule, Ct);
        Assert.True(response.IsSuccessStatusCode, $"rule: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return (await response.Content.ReadFromJsonAsync<ConfigGrayInfo>(Ct))!;
    }

    private static async Task<List<ConfigVersionInfo>> HistoryAsync(HttpClient admin) =>
        [.. (await admin.GetFromJsonAsync<Paged<ConfigVersionInfo>>(ConfigApi.Path(Item + "/history"), Ct))!.Items];

    /// <summary>The ids among <paramref name="ids"/> that read the gray version.</summary>
    private static async Task<List<string>> GrayClientsAsync(RegistryApp app, IEnumerable<string> ids)
    {
        var gray = new List<string>();
        foreach (var id in ids)
        {
            using var client = Client(app, id: id);
            if ((await client.ReadAsync(Item)).Content == "mode: new\n")
            {
                gray.Add(id);
            }
        }

        return gray;
    }
}
