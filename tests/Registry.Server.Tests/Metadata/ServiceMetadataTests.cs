using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using Registry.Contracts;
using Registry.Contracts.Metadata;
using Registry.Contracts.Naming;
using Registry.Server.Tests.Naming;

namespace Registry.Server.Tests.Metadata;

public sealed class ServiceMetadataTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly object Document = new
    {
        protocols = new object[] { new { name = "http", port = 8080 }, new { name = "gRPC", port = 9090, path = "/pay.v1" } },
        defaultWeight = 2,
        instanceWeights = new Dictionary<string, double> { ["10.0.0.1#8080#DEFAULT"] = 0 },
        tags = new[] { "v1.4" },
        properties = new Dictionary<string, string> { ["owner"] = "team-pay" },
    };

    [Fact]
    public async Task Put_NewDocument_Returns201AndReadsBackWithItsVersionAsETag()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var put = await client.PutAsJsonAsync(MetadataApi.Path("pay"), Document, Ct);
        using var get = await client.GetAsync(MetadataApi.Path("pay"), Ct);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("\"1\"", get.Headers.ETag!.Tag);
        var metadata = (await get.Content.ReadFromJsonAsync<ServiceMetadataInfo>(Ct))!;
        Assert.Equal((1L, "create"), (metadata.Version, metadata.Op));
        Assert.Equal([new ProtocolInfo("http", 8080), new ProtocolInfo("grpc", 9090, "/pay.v1")], metadata.Protocols);
        Assert.Equal(2, metadata.DefaultWeight);
        Assert.Equal(0, metadata.InstanceWeights["10.0.0.1#8080#DEFAULT"]);
        Assert.Equal(["v1.4"], metadata.Tags);
        Assert.Equal("team-pay", metadata.Properties["owner"]);
        Assert.Equal(metadata.Revision, put.Revision());
    }

    [Fact]
    public async Task Put_ForAServiceThatDoesNotExist_CreatesIt()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        await client.PutMetadataAsync("future", Document);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/services/future", Ct)).StatusCode);
    }

    [Fact]
    public async Task Put_Again_TakesTheNextVersion()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", Document);

        using var response = await client.PutAsJsonAsync(MetadataApi.Path("pay"), new { tags = new[] { "v2" } }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var metadata = (await response.Content.ReadFromJsonAsync<ServiceMetadataInfo>(Ct))!;
        Assert.Equal((2L, "update"), (metadata.Version, metadata.Op));
        Assert.Empty(metadata.Protocols);
        Assert.Equal(["v2"], metadata.Tags);
    }

    [Fact]
    public async Task Put_WithCurrentETag_SucceedsAndWithAStaleOne_Returns412()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", Document);

        using var current = await Send(client, HttpMethod.Put, "\"1\"");
        using var stale = await Send(client, HttpMethod.Put, "\"1\"");

        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        var problem = await stale.ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(("version-mismatch", 2), (problem.Code(), problem.GetProperty("currentVersion").GetInt32()));
    }

    [Fact]
    public async Task Put_IfNoneMatchStar_CreatesOnlyAndRefusesAnExistingDocumentWith412()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var created = await Send(client, HttpMethod.Put, "*", "If-None-Match");
        using var refused = await Send(client, HttpMethod.Put, "*", "If-None-Match");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var problem = await refused.ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(("version-mismatch", 1), (problem.Code(), problem.GetProperty("currentVersion").GetInt32()));
        Assert.Single((await client.GetFromJsonAsync<Paged<MetadataVersionInfo>>("/v1/services/pay/metadata/history", Ct))!.Items);
    }

    [Theory]
    [InlineData("version=1", HttpStatusCode.OK, null)]
    [InlineData("version=2", HttpStatusCode.OK, null)]
    [InlineData("version=3", HttpStatusCode.NotFound, "metadata-version-deleted")]
    [InlineData("version=9", HttpStatusCode.NotFound, "metadata-version-not-found")]
    [InlineData("version=0", HttpStatusCode.BadRequest, "validation-failed")]
    [InlineData(null, HttpStatusCode.NotFound, "metadata-not-found")]
    public async Task Get_VersionFromHistory_ReadsItsDocumentOrSaysWhyNot(string? query, HttpStatusCode status, string? code)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", new { tags = new[] { "version=1" } });
        await client.PutMetadataAsync("pay", new { tags = new[] { "version=2" } });
        (await client.DeleteAsync(MetadataApi.Path("pay"), Ct)).EnsureSuccessStatusCode();

        using var response = await client.GetAsync(MetadataApi.Path("pay", query), Ct);

        if (code is null)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(query, (await response.Content.ReadFromJsonAsync<ServiceMetadataInfo>(Ct))!.Tags.Single());
        }
        else
        {
            Assert.Equal(code, (await response.ProblemAsync(status)).Code());
        }
    }

    [Fact]
    public async Task Get_IfNoneMatchCurrentVersion_Returns304()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", Document);
        using var request = new HttpRequestMessage(HttpMethod.Get, MetadataApi.Path("pay"));
        request.Headers.TryAddWithoutValidation("If-None-Match", "\"1\"");

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task Get_WithoutDocument_Returns404Problem()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("pay", "10.0.0.1");

        using var response = await client.GetAsync(MetadataApi.Path("pay"), Ct);

        Assert.Equal("metadata-not-found", (await response.ProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Fact]
    public async Task History_AfterChangesAndADelete_ListsEveryVersionNewestFirstWithItsDocument()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", Document);
        await client.PutMetadataAsync("pay", new { tags = new[] { "v2" } });
        using (var request = new HttpRequestMessage(HttpMethod.Delete, MetadataApi.Path("pay")))
        {
            request.Headers.Add("X-Registry-User", "carol");
            Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(request, Ct)).StatusCode);
        }

        var history = (await client.GetFromJsonAsync<Paged<MetadataVersionInfo>>(MetadataApi.Path("pay") + "/history", Ct))!;
        var page = (await client.GetFromJsonAsync<Paged<MetadataVersionInfo>>(MetadataApi.Path("pay") + "/history?pageSize=1&page=3", Ct))!;

        Assert.Equal(3, history.Total);
        Assert.Equal([(3L, "delete"), (2L, "update"), (1L, "create")], history.Items.Select(v => (v.Version, v.Op)));
        Assert.Equal("carol", history.Items[0].Author);
        Assert.Equal([false, true, true], history.Items.Select(v => v.HasDocument));
        Assert.Equal(["v2"], (await client.GetFromJsonAsync<ServiceMetadataInfo>(MetadataApi.Path("pay") + "?version=2", Ct))!.Tags);
        Assert.Equal(1, Assert.Single(page.Items).Version);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(MetadataApi.Path("pay"), Ct)).StatusCode);
        Assert.Equal(4, (await client.PutMetadataAsync("pay", Document)).Version);
    }

    [Fact]
    public async Task Delete_WithoutDocument_Returns404()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.DeleteAsync(MetadataApi.Path("pay"), Ct);

        Assert.Equal("metadata-not-found", (await response.ProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Fact]
    public async Task Delete_WithStaleIfMatch_Returns412()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", Document);
        await client.PutMetadataAsync("pay", Document);

        using var response = await Send(client, HttpMethod.Delete, "\"1\"");

        await response.ProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task Put_UnknownNamespace_Returns404()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsJsonAsync(MetadataApi.Path("pay", "namespace=nope"), Document, Ct);

        Assert.Equal("namespace-not-found", (await response.ProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Theory]
    [InlineData("""{"protocols":[{"name":"9grpc","port":9090}]}""", "protocols[0].name")]
    [InlineData("""{"protocols":[{"name":"grpc","port":0}]}""", "protocols[0].port")]
    [InlineData("""{"protocols":[{"name":"grpc","port":70000}]}""", "protocols[0].port")]
    [InlineData("""{"protocols":[{"name":"grpc","port":1,"path":"no-slash"}]}""", "protocols[0].path")]
    [InlineData("""{"protocols":[{"name":"grpc","port":1},{"name":"GRPC","port":2}]}""", "protocols")]
    [InlineData("""{"protocols":[null]}""", "protocols")]
    [InlineData("""{"defaultWeight":-1}""", "defaultWeight")]
    [InlineData("""{"instanceWeights":{"a#1#DEFAULT":10001}}""", "instanceWeights")]
    [InlineData("""{"instanceWeights":{"":1}}""", "instanceWeights")]
    [InlineData("""{"instanceWeights":{"not-an-id":1}}""", "instanceWeights")]
    [InlineData("""{"instanceWeight":{"10.0.0.1#80#DEFAULT":0}}""", "instanceWeight")]
    [InlineData("""{"protocols":[{"name":"grpc","port":9090,"pth":"/pay.v1"}]}""", "protocols[0].pth")]
    [InlineData("""{"instanceWeights":{"10.0.0.1#0#DEFAULT":1}}""", "instanceWeights")]
    [InlineData("""{"protocols":[{"name":"grpc","port":1,"path":"/a b"}]}""", "protocols[0].path")]
    [InlineData("""{"protocols":[{"name":"grpc","port":1,"path":"/a\u0000"}]}""", "protocols[0].path")]
    [InlineData("""{"tags":[""]}""", "tags")]
    [InlineData("""{"tags":["a","a"]}""", "tags")]
    [InlineData("""{"properties":{"":"x"}}""", "properties")]
    [InlineData("""{"protocols":"grpc"}""", "protocols")]
    [InlineData("""{"defaultWeight":"heavy"}""", "defaultWeight")]
    public async Task Put_BadDocument_Returns400NamingTheFieldAndStoresNothing(string body, string field)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync(MetadataApi.Path("pay"), RegisterInstanceTests.Json(body), Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors(field));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(MetadataApi.Path("pay"), Ct)).StatusCode);
    }

    [Fact]
    public async Task Put_TooManyTags_Returns400()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsJsonAsync(MetadataApi.Path("pay"), new { tags = Enumerable.Range(0, 65).Select(i => $"t{i}") }, Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("tags"));
    }

    [Fact]
    public async Task Restart_SameDataFile_KeepsTheDocumentAndItsHistory()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        await using (var first = new RegistryApp(time, dir.File("registry.db")))
        {
            using var client = first.CreateClient();
            await client.PutMetadataAsync("pay", new { tags = new[] { "v1" } });
            await client.PutMetadataAsync("pay", Document);
        }

        await using var second = new RegistryApp(time, dir.File("registry.db"));
        using var restarted = second.CreateClient();

        var metadata = (await restarted.GetFromJsonAsync<ServiceMetadataInfo>(MetadataApi.Path("pay"), Ct))!;
        Assert.Equal((2L, "team-pay"), (metadata.Version, metadata.Properties["owner"]));
        var history = (await restarted.GetFromJsonAsync<Paged<MetadataVersionInfo>>(MetadataApi.Path("pay") + "/history", Ct))!;
        Assert.Equal(1, history.Items[1].Version);
        Assert.Equal(["v1"], (await restarted.GetFromJsonAsync<ServiceMetadataInfo>(MetadataApi.Path("pay") + "?version=1", Ct))!.Tags);
        await restarted.RegisterAsync("pay", "10.0.0.1");
        Assert.Equal(0, Assert.Single((await restarted.ListAsync("pay")).Instances).EffectiveWeight);
    }

    [Fact]
    public async Task DeleteService_WithADocument_RemovesItAndItsHistory()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", Document);

        (await client.DeleteAsync("/v1/services/pay", Ct)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(MetadataApi.Path("pay"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(MetadataApi.Path("pay") + "/history", Ct)).StatusCode);
        Assert.Equal(1, (await client.PutMetadataAsync("pay", Document)).Version);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string tag, string header = "If-Match")
    {
        using var request = new HttpRequestMessage(method, MetadataApi.Path("pay"));
        if (method == HttpMethod.Put)
        {
            request.Content = JsonContent.Create(Document);
        }

        request.Headers.TryAddWithoutValidation(header, tag);
        return await client.SendAsync(request, Ct);
    }
}
