using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Registry.Server.Tests.Cluster;

/// <summary>
/// Three Registry nodes over three etcd members, in real processes: any node serves any request, a write is seen on
/// every node, compare-and-set holds across nodes, and a watch or an instance outlives the node it was on.
/// </summary>
[Collection(nameof(ServerProcesses))]
public sealed class ClusterTests
{
    private const string Config = "/v1/configs/app.yaml?group=shop";
    private const string Watch = "/v1/configs/watch?dataId=app.yaml&group=shop";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Publish_OnOneNode_IsReadOnEveryNodeAtItsRevision()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        await using var cluster = await RegistryCluster.StartAsync();
        using var writer = cluster.Client(0);

        var revision = await PublishAsync(writer, "a: 1\n");

        for (var node = 1; node < 3; node++)
        {
            using var reader = cluster.Client(node);
            using var request = new HttpRequestMessage(HttpMethod.Get, Config) { Headers = { { "X-Registry-Min-Revision", revision.ToString() } } };
            using var response = await reader.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("a: 1\n", await response.Content.ReadAsStringAsync(Ct));
            Assert.False(response.Headers.Contains("X-Registry-Stale"));
        }
    }

    [Fact]
    public async Task Readyz_EveryNode_ShowsItselfAndTheLiveNodes()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        await using var cluster = await RegistryCluster.StartAsync();
        using var client = cluster.Client(1);

        var check = await Eventually.MatchesAsync(
            async () => JsonDocument.Parse(await client.GetStringAsync("/readyz", Ct)).RootElement.GetProperty("checks").GetProperty("cluster"),
            check => check.GetProperty("data").GetProperty("nodes").GetInt32() == 3,
            "three live nodes");

        Assert.Equal("Healthy", check.GetProperty("status").GetString());
        Assert.True(check.GetProperty("data").GetProperty("canDecide").GetBoolean());
        Assert.Contains(check.GetProperty("data").GetProperty("node").GetString(),
            check.GetProperty("data").GetProperty("live").EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public async Task Publish_OnOneNode_ReachesAWatcherOnAnotherUnderItsRevision()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        await using var cluster = await RegistryCluster.StartAsync();
        using var watcher = cluster.Client(1);
        var (response, events) = await SseReader.OpenAsync(watcher, Watch);
        using var _ = response;
        await using var __ = events;

        using var writer = cluster.Client(0);
        var revision = await PublishAsync(writer, "a: 1\n");

        var pushed = await NextConfigAsync(events);
        Assert.Equal(revision.ToString(), pushed.Id);
        Assert.Contains("a: 1", pushed.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IfMatch_RacedFromTwoNodes_ExactlyOneWins()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        await using var cluster = await RegistryCluster.StartAsync();
        using var first = cluster.Client(0);
        using var second = cluster.Client(1);
        var revision = await PublishAsync(first, "a: 1\n");

        for (var round = 1; round <= 10; round++)
        {
            // Both nodes have applied the latest version: both send the same If-Match.
            var etag = (await ReadAtAsync(first, revision)).Headers.ETag!.Tag;
            await ReadAtAsync(second, revision);
            var answers = await Task.WhenAll(
                PublishAsync(first, $"a: {round}0\n", etag),
                PublishAsync(second, $"a: {round}1\n", etag));

            Assert.Single(answers, static answer => answer.Status == HttpStatusCode.OK);
            Assert.Single(answers, static answer => answer.Status == HttpStatusCode.PreconditionFailed);
            revision = answers.Max(static answer => answer.Revision);
        }
    }

    [Fact]
    public async Task Watcher_NodeKilled_ResumesOnAnotherNodeLosingNothing()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        await using var cluster = await RegistryCluster.StartAsync();
        using var writer = cluster.Client(0);
        string lastSeen;
        using (var doomed = cluster.Client(2))
        {
            var (response, events) = await SseReader.OpenAsync(doomed, Watch);
            using var _ = response;
            await using var __ = events;
            await PublishAsync(writer, "a: 1\n");
            lastSeen = (await NextConfigAsync(events)).Id!;

            await cluster.KillNodeAsync(2);
        }

        // Published while the watcher had no node.
        await PublishAsync(writer, "a: 2\n");
        await PublishAsync(writer, "a: 3\n");

        using var survivor = cluster.Client(1);
        var (resumed, replay) = await SseReader.OpenAsync(survivor, Watch, lastSeen);
        using var ___ = resumed;
        await using var ____ = replay;
        var second = await NextConfigAsync(replay);
        var third = await NextConfigAsync(replay);
        Assert.Contains("a: 2", second.Data, StringComparison.Ordinal);
        Assert.Contains("a: 3", third.Data, StringComparison.Ordinal);
        Assert.True(long.Parse(second.Id!) > long.Parse(lastSeen) && long.Parse(third.Id!) > long.Parse(second.Id!));
    }

    [Fact]
    public async Task Instance_ItsNodeKilled_StaysRegisteredAndHealthyAsItBeatsToAnother()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        await using var cluster = await RegistryCluster.StartAsync();
        using var doomed = cluster.Client(2);
        using var register = await doomed.PutAsync("/v1/services/orders/instances", Json(
            """{"ip":"10.0.0.1","port":8080,"heartbeatIntervalMs":1000,"unhealthyAfterMs":3000,"evictAfterMs":6000}"""), Ct);
        Assert.True(register.StatusCode == HttpStatusCode.Created, await register.Content.ReadAsStringAsync(Ct));
        var registered = long.Parse(register.Headers.GetValues("X-Registry-Revision").Single());

        await cluster.KillNodeAsync(2);

        // The client fails over and beats to another node, for longer than the dead node's lease and the instance's own.
        using var survivor = cluster.Client(0);
        var beatsFor = TimeSpan.FromSeconds(10);
        var started = DateTime.UtcNow;
        while (DateTime.UtcNow - started < beatsFor)
        {
            using var beat = await survivor.PutAsync("/v1/services/orders/instances/10.0.0.1%238080%23DEFAULT/heartbeat", null, Ct);
            Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
            await Task.Delay(1000, Ct);
        }

        using var observer = cluster.Client(1);
        using var list = JsonDocument.Parse(await observer.GetStringAsync("/v1/services/orders/instances", Ct));
        var instance = Assert.Single(list.RootElement.GetProperty("instances").EnumerateArray());
        Assert.True(instance.GetProperty("healthy").GetBoolean());
        Assert.True(list.RootElement.GetProperty("revision").GetInt64() > registered);
    }

    [Fact]
    public async Task Node_KilledUnderWriteAndBeatLoad_LosesNothingAcknowledged()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        await using var cluster = await RegistryCluster.StartAsync();
        const int instances = 20;
        using var doomed = cluster.Client(2);
        using var survivor = cluster.Client(1);
        using var observer = cluster.Client(0);
        for (var i = 0; i < instances; i++)
        {
            using var register = await doomed.PutAsync("/v1/services/orders/instances", Json(
                $$"""{"ip":"10.0.1.{{i}}","port":8080,"heartbeatIntervalMs":1000,"unhealthyAfterMs":3000,"evictAfterMs":6000}"""), Ct);
            Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        }

        // A watcher of everything the writers write, on the node that will die.
        var (watchResponse, watch) = await SseReader.OpenAsync(doomed, "/v1/configs/watch?group=load");
        var seen = new List<long>();
        var watching = Task.Run(async () =>
        {
            try
            {
                while (await watch.NextAsync() is { } next)
                {
                    seen.Add(long.Parse(next.Id!));
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                // Its node died.
            }
        }, Ct);

        // Clients beat to the node they know, and fail over when it stops answering, as the .NET client does.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var beating = Task.Run(() => BeatAsync([doomed, survivor], instances, stop.Token), Ct);

        // Writers on both nodes; each remembers what was acknowledged to it.
        var acknowledged = new ConcurrentDictionary<string, (int Sequence, long Revision)>();
        var revisions = new ConcurrentBag<long>();
        var writers = Enumerable.Range(0, 4)
            .Select(w => Task.Run(() => WriteAsync(w % 2 == 0 ? doomed : survivor, survivor, $"w{w}.yaml", acknowledged, revisions, stop.Token), Ct))
            .ToList();

        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        await cluster.KillNodeAsync(2);
        await Task.Delay(TimeSpan.FromSeconds(10), Ct);
        await stop.CancelAsync();
        await Task.WhenAll([.. writers, beating]);
        await watching;
        watchResponse.Dispose();
        await watch.DisposeAsync();

        // Every acknowledged write is on every live node.
        var last = acknowledged.Values.Max(static a => a.Revision);
        foreach (var (dataId, (sequence, _)) in acknowledged)
        {
            foreach (var node in new[] { observer, survivor })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/configs/{dataId}?group=load") { Headers = { { "X-Registry-Min-Revision", last.ToString() } } };
                using var read = await node.SendAsync(request, Ct);
                var content = await read.Content.ReadAsStringAsync(Ct);
                Assert.True(int.Parse(content.Split(' ')[1]) >= sequence, $"{dataId}: acknowledged {sequence}, read '{content}'");
            }
        }

        // The watcher resumes on a live node from the last event it got: nothing missed, nothing twice.
        var (resumedResponse, resumed) = await SseReader.OpenAsync(survivor, "/v1/configs/watch?group=load", seen.Count > 0 ? seen[^1].ToString() : null);
        using (resumedResponse)
        await using (resumed)
        {
            while (seen[^1] < last)
            {
                seen.Add(long.Parse((await resumed.NextAsync())!.Id!));
            }
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(seen.Order(), seen);
        Assert.Superset(revisions.ToHashSet(), seen.ToHashSet());

        // Its instances stayed: their clients beat to another node, which took them over.
        using var list = JsonDocument.Parse(await observer.GetStringAsync("/v1/services/orders/instances", Ct));
        var listed = list.RootElement.GetProperty("instances").EnumerateArray().ToList();
        Assert.Equal(instances, listed.Count);
        Assert.All(listed, instance => Assert.True(instance.GetProperty("healthy").GetBoolean()));
    }

    [Fact]
    public async Task Node_CutOffFromEtcd_RefusesWritesAndBeatsEvictsNothingAndRejoins()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        await using var cluster = await RegistryCluster.StartAsync();
        using var cutOff = cluster.Client(2);
        using var other = cluster.Client(0);
        using (var register = await cutOff.PutAsync("/v1/services/orders/instances", Json(
            """{"ip":"10.0.0.1","port":8080,"heartbeatIntervalMs":1000,"unhealthyAfterMs":3000,"evictAfterMs":6000}"""), Ct))
        {
            Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        }

        cluster.CutOff(2, cut: true);

        await Eventually.TrueAsync(async () => await TryPublishAsync(cutOff, "a: 1\n") < 0, "writes refused on the node cut off");
        using (var ready = await cutOff.GetAsync("/readyz", Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        // Its client is told to beat elsewhere, and does so for longer than the instance's lease and the node's.
        var started = DateTime.UtcNow;
        while (DateTime.UtcNow - started < TimeSpan.FromSeconds(10))
        {
            using var refused = await cutOff.PutAsync("/v1/services/orders/instances/10.0.0.1%238080%23DEFAULT/heartbeat", null, Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("true", refused.Headers.GetValues("X-Registry-Stale").Single());
            using var beat = await other.PutAsync("/v1/services/orders/instances/10.0.0.1%238080%23DEFAULT/heartbeat", null, Ct);
            Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
            await Task.Delay(1000, Ct);
        }

        cluster.CutOff(2, cut: false);

        var written = await Eventually.MatchesAsync(() => TryPublishAsync(cutOff, "a: 2\n"), static revision => revision > 0, "writes taken again");
        foreach (var client in new[] { cutOff, other })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/services/orders/instances") { Headers = { { "X-Registry-Min-Revision", written.ToString() } } };
            using var response = await client.SendAsync(request, Ct);
            using var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            var instance = Assert.Single(list.RootElement.GetProperty("instances").EnumerateArray());
            Assert.True(instance.GetProperty("healthy").GetBoolean());
        }
    }

    [Fact]
    public async Task AuthOn_NodesStartTogether_ExactlyOneAdminTokenIsGenerated()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        await using var cluster = await RegistryCluster.StartAsync(3, "--Registry:Auth:Enabled=true");

        var generated = Enumerable.Range(0, 3).Count(i => cluster.Node(i).Output.Contains("generated admin token", StringComparison.Ordinal));

        Assert.Equal(1, generated);
    }

    [Fact]
    public async Task EtcdMember_Killed_WritesGoOn()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        await using var cluster = await RegistryCluster.StartAsync();
        using var client = cluster.Client(0);
        await PublishAsync(client, "a: 1\n");

        cluster.Etcd.Kill(0);

        // If it was the leader, the others elect a new one first: a write meanwhile is refused (503), never lost.
        var written = await Eventually.MatchesAsync(() => TryPublishAsync(client, "a: 2\n"), static revision => revision > 0, "a write after the kill");
        using var other = cluster.Client(2);
        Assert.Equal("a: 2\n", await (await ReadAtAsync(other, written)).Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Quorum_Lost_WritesAre503ReadsStaleReadyzSaysWhyAndAllRecovers()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        await using var cluster = await RegistryCluster.StartAsync();
        using var client = cluster.Client(1);
        await PublishAsync(client, "a: 1\n");

        cluster.Etcd.Kill(0);
        cluster.Etcd.Kill(1);

        await Eventually.TrueAsync(async () => await TryPublishAsync(client, "a: 2\n") < 0, "writes refused");
        using (var refused = await client.PutAsync(Config, Yaml("a: 2\n"), Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct));
            Assert.Equal("store-unavailable", problem.RootElement.GetProperty("code").GetString());
        }

        using (var read = await client.GetAsync(Config, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal("a: 1\n", await read.Content.ReadAsStringAsync(Ct));
            Assert.Equal("true", read.Headers.GetValues("X-Registry-Stale").Single());
        }

        using (var ready = await client.GetAsync("/readyz", Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("quorum", await ready.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        cluster.Etcd.Restart(0);
        cluster.Etcd.Restart(1);

        var written = await Eventually.MatchesAsync(() => TryPublishAsync(client, "a: 3\n"), static revision => revision > 0, "writes taken again");
        using var after = await client.GetAsync(Config, Ct);
        Assert.False(after.Headers.Contains("X-Registry-Stale"));
        using var otherNode = cluster.Client(2);
        Assert.Equal("a: 3\n", await (await ReadAtAsync(otherNode, written)).Content.ReadAsStringAsync(Ct));
    }

    /// <summary>Beats every instance each second to the first node that answers, in order.</summary>
    private static async Task BeatAsync(HttpClient[] nodes, int instances, CancellationToken stop)
    {
        var current = 0;
        while (!stop.IsCancellationRequested)
        {
            for (var i = 0; i < instances; i++)
            {
                while (true)
                {
                    try
                    {
                        using var beat = await nodes[current].PutAsync($"/v1/services/orders/instances/10.0.1.{i}%238080%23DEFAULT/heartbeat", null, CancellationToken.None);
                        Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
                        break;
                    }
                    catch (HttpRequestException) when (current < nodes.Length - 1)
                    {
                        current++;
                    }
                }
            }

            try
            {
                await Task.Delay(1000, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Publishes n: 1, n: 2, … to one key, moving to <paramref name="fallback"/> once its node is gone.</summary>
    private static async Task WriteAsync(
        HttpClient node, HttpClient fallback, string dataId, ConcurrentDictionary<string, (int Sequence, long Revision)> acknowledged,
        ConcurrentBag<long> revisions, CancellationToken stop)
    {
        for (var sequence = 1; !stop.IsCancellationRequested; sequence++)
        {
            try
            {
                using var response = await node.PutAsync($"/v1/configs/{dataId}?group=load", Yaml($"n: {sequence}\n"), CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    var revision = long.Parse(response.Headers.GetValues("X-Registry-Revision").Single());
                    acknowledged[dataId] = (sequence, revision);
                    revisions.Add(revision);
                }
            }
            catch (HttpRequestException)
            {
                // Not acknowledged: it may or may not have been applied. The writer goes on elsewhere.
                node = fallback;
            }
        }
    }

    private static async Task<long> PublishAsync(HttpClient client, string content)
    {
        using var response = await client.PutAsync(Config, Yaml(content), Ct);
        Assert.True(response.IsSuccessStatusCode, $"publish: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return long.Parse(response.Headers.GetValues("X-Registry-Revision").Single());
    }

    private static async Task<(HttpStatusCode Status, long Revision)> PublishAsync(HttpClient client, string content, string etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, Config) { Content = Yaml(content) };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        using var response = await client.SendAsync(request, Ct);
        return (response.StatusCode,
            response.Headers.TryGetValues("X-Registry-Revision", out var revisions) ? long.Parse(revisions.Single()) : 0);
    }

    /// <summary>The revision of the publish; -1 when the store was unavailable (503); 0 for any other refusal.</summary>
    private static async Task<long> TryPublishAsync(HttpClient client, string content)
    {
        using var response = await client.PutAsync(Config, Yaml(content), Ct);
        return response.IsSuccessStatusCode
            ? long.Parse(response.Headers.GetValues("X-Registry-Revision").Single())
            : response.StatusCode == HttpStatusCode.ServiceUnavailable ? -1 : 0;
    }

    /// <summary>The config as of at least <paramref name="revision"/> on that node.</summary>
    private static async Task<HttpResponseMessage> ReadAtAsync(HttpClient client, long revision)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Config) { Headers = { { "X-Registry-Min-Revision", revision.ToString() } } };
        var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private static async Task<SseEvent> NextConfigAsync(SseReader events)
    {
        while (await events.NextAsync() is { } next)
        {
            if (next.Event == "config")
            {
                return next;
            }
        }

        throw new InvalidOperationException("The watch ended.");
    }

    private static StringContent Yaml(string content) => new(content, Encoding.UTF8, "application/yaml");

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
