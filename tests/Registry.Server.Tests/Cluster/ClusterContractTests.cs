using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Registry.Server.Tests.Compat.Eureka;
using Registry.Server.Tests.Compat.Nacos;

namespace Registry.Server.Tests.Cluster;

/// <summary>Three nodes over etcd, shared by the tests of the API contract on a cluster; started once.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private RegistryCluster? _cluster;

    internal RegistryCluster Cluster => _cluster ?? throw new InvalidOperationException("etcd is not installed.");

    public async ValueTask InitializeAsync()
    {
        if (EtcdCluster.Available)
        {
            _cluster = await RegistryCluster.StartAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>
/// The API contract holds on a cluster: what is written through one node, by any of the three surfaces, reads the same
/// through the others, with the same answers to conditional writes and bad input.
/// </summary>
[Collection(nameof(ServerProcesses))]
public sealed class ClusterContractTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Instances_RegisteredThroughEachSurfaceOnEachNode_AreSeenByEverySurfaceOnEveryNode()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        using var zero = fixture.Cluster.Client(0);
        using var one = fixture.Cluster.Client(1);
        using var two = fixture.Cluster.Client(2);

        await zero.RegisterAsync("inventory", new { ip = "10.0.0.1", port = 8080 });
        await NacosApi.RegisterAsync(one, "inventory", "10.0.0.2");
        await two.RegisteredAsync(EurekaApi.Instance(app: "inventory", instanceId: "inv-3", ip: "10.0.0.3"));

        string[] all = ["10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080"];
        foreach (var node in new[] { zero, one, two })
        {
            await CatchUpAsync(node, zero, one, two);
            Assert.Equal(all, (await node.ListAsync("inventory")).Instances.Select(i => $"{i.Ip}:{i.Port}").Order(StringComparer.Ordinal));
            Assert.Equal(all, (await NacosApi.ListAsync(node, ("serviceName", "inventory"))).Ips().Order(StringComparer.Ordinal));
            Assert.Equal(all, EurekaApi.Instances(await node.GetJsonAsync("/eureka/v2/apps"))
                .Where(i => i["app"].Text() == "INVENTORY")
                .Select(i => $"{i["ipAddr"].Text()}:{(int)i["port"]!["$"]!}").Order(StringComparer.Ordinal));
        }

        Assert.Equal(HttpStatusCode.OK, await one.SendAsync(HttpMethod.Delete, "/eureka/v2/apps/INVENTORY/inv-3"));
        await CatchUpAsync(two, one);
        Assert.Equal(["10.0.0.1", "10.0.0.2"], (await two.ListAsync("inventory")).Instances.Select(i => i.Ip).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Config_VersionsCasHistoryAndRollback_AcrossNodes()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        using var zero = fixture.Cluster.Client(0);
        using var one = fixture.Cluster.Client(1);
        using var two = fixture.Cluster.Client(2);
        const string path = "/v1/configs/contract.yaml?group=cluster";

        Assert.Equal(HttpStatusCode.Created, await PutAsync(zero, path, "a: 1\n"));
        await CatchUpAsync(one, zero);
        Assert.Equal(HttpStatusCode.OK, await PutAsync(one, path, "a: 2\n", ifMatch: "\"1\""));
        await CatchUpAsync(two, one);
        Assert.Equal(HttpStatusCode.PreconditionFailed, await PutAsync(two, path, "a: 3\n", ifMatch: "\"1\""));

        using (var history = JsonDocument.Parse(await two.GetStringAsync("/v1/configs/contract.yaml/history?group=cluster", Ct)))
        {
            Assert.Equal([2, 1], history.RootElement.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        }

        using (var rollback = await two.PostAsync("/v1/configs/contract.yaml/rollback?group=cluster&to=1", null, Ct))
        {
            Assert.True(rollback.IsSuccessStatusCode, await rollback.Content.ReadAsStringAsync(Ct));
        }

        await CatchUpAsync(zero, two);
        using var read = await zero.GetAsync(path, Ct);
        Assert.Equal("a: 1\n", await read.Content.ReadAsStringAsync(Ct));
        Assert.Equal("\"3\"", read.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Metadata_PutOnOneNode_IsReadAndGuardedOnTheOthers()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        using var zero = fixture.Cluster.Client(0);
        using var one = fixture.Cluster.Client(1);
        await zero.RegisterAsync("pay", new { ip = "10.1.0.1", port = 8080 });
        const string document = """{"protocols":[{"name":"grpc","port":9090}],"properties":{"owner":"team-pay"}}""";

        using (var put = await zero.PutAsync("/v1/services/pay/metadata", Json(document), Ct))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync(Ct));
        }

        await CatchUpAsync(one, zero);
        using var read = await one.GetAsync("/v1/services/pay/metadata", Ct);
        Assert.Contains("team-pay", await read.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var stale = new HttpRequestMessage(HttpMethod.Put, "/v1/services/pay/metadata") { Content = Json(document) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"7\""));
        using var refused = await one.SendAsync(stale, Ct);
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
    }

    [Fact]
    public async Task NacosListener_OnOneNode_IsAnsweredByAPublishOnAnother()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        using var zero = fixture.Cluster.Client(0);
        using var one = fixture.Cluster.Client(1);
        await zero.PublishConfigAsync("listened.properties", "cluster", "a=1");
        await CatchUpAsync(one, zero);

        var listening = NacosApi.SendAsync(one, HttpMethod.Post, "/nacos/v1/cs/configs/listener",
            form: [("Listening-Configs", $"listened.properties\u0002cluster\u0002{Md5("a=1")}\u0001")],
            headers: ("Long-Pulling-Timeout", "30000"));
        await zero.PublishConfigAsync("listened.properties", "cluster", "a=2");

        var (status, body, response) = await listening;
        response.Dispose();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("listened.properties", Uri.UnescapeDataString(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadInput_OnAnyNode_IsAProblemAndChangesNothing()
    {
        Assert.SkipUnless(EtcdCluster.Available, "etcd is not installed (.ci/run installs it).");
        using var two = fixture.Cluster.Client(2);

        using var invalid = await two.PutAsync("/v1/services/orders/instances", Json("""{"ip":"10.0.0.1","port":0}"""), Ct);
        var problem = await invalid.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.Errors("port"));

        // Written three times in its transaction, 800 KB is more than etcd takes by default (1.5 MiB).
        using var tooLarge = await two.PutAsync("/v1/configs/large.txt?group=cluster", new StringContent(new string('x', 800_000)), Ct);
        Assert.Equal("change-too-large", (await tooLarge.ProblemAsync(HttpStatusCode.RequestEntityTooLarge)).Code());
        using var absent = await two.GetAsync("/v1/configs/large.txt?group=cluster", Ct);
        Assert.Equal(HttpStatusCode.NotFound, absent.StatusCode);
    }

    /// <summary>Waits until <paramref name="reader"/> has applied everything the <paramref name="writers"/> have.</summary>
    private static async Task CatchUpAsync(HttpClient reader, params HttpClient[] writers)
    {
        foreach (var writer in writers)
        {
            using var health = JsonDocument.Parse(await writer.GetStringAsync("/readyz", Ct));
            var revision = health.RootElement.GetProperty("checks").GetProperty("store").GetProperty("data").GetProperty("revision").GetInt64();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz")
            {
                Headers = { { "X-Registry-Min-Revision", revision.ToString(CultureInfo.InvariantCulture) } },
            };
            using var response = await reader.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static async Task<HttpStatusCode> PutAsync(HttpClient client, string path, string content, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(content, Encoding.UTF8, "application/yaml") };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        }

        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }

#pragma warning disable CA5351 // Nacos identifies content by MD5.
    private static string Md5(string content) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(content)));
#pragma warning restore CA5351

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
