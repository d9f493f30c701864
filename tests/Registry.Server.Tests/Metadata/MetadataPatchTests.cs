using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Registry.Contracts;
using Registry.Contracts.Admin;
using Registry.Contracts.Metadata;
using Registry.Server.Tests.Security;

namespace Registry.Server.Tests.Metadata;

public sealed class MetadataPatchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly object Document = new
    {
        protocols = new object[] { new { name = "http", port = 8080 }, new { name = "grpc", port = 9090, path = "/pay.v1" } },
        defaultWeight = 2,
        instanceWeights = new Dictionary<string, double> { ["10.0.0.1#8080#DEFAULT"] = 0 },
        tags = new[] { "v1.4" },
        properties = new Dictionary<string, string> { ["owner"] = "team-pay", ["tier"] = "gold" },
    };

    private static async Task<HttpResponseMessage> PatchAsync(
        HttpClient client, string service, string patch, string? ifMatch = null, string mediaType = "application/merge-patch+json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, MetadataApi.Path(service))
        {
            Content = new StringContent(patch, Encoding.UTF8, mediaType),
        };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        }

        return await client.SendAsync(request, Ct);
    }

    private static async Task<ServiceMetadataInfo> PatchedAsync(HttpClient client, string service, string patch, HttpStatusCode status = HttpStatusCode.OK)
    {
        using var response = await PatchAsync(client, service, patch);
        Assert.True(response.StatusCode == status, $"patch: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return (await response.Content.ReadFromJsonAsync<ServiceMetadataInfo>(Ct))!;
    }

    [Fact]
    public async Task Patch_OneInstanceWeight_KeepsEverythingElse()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", Document);

        var patched = await PatchedAsync(client, "pay", """{"instanceWeights":{"10.0.0.2#8080#DEFAULT":5}}""");

        Assert.Equal((2L, "update"), (patched.Version, patched.Op));
        Assert.Equal([new ProtocolInfo("http", 8080), new ProtocolInfo("grpc", 9090, "/pay.v1")], patched.Protocols);
        Assert.Equal(new Dictionary<string, double> { ["10.0.0.1#8080#DEFAULT"] = 0, ["10.0.0.2#8080#DEFAULT"] = 5 }, patched.InstanceWeights);
        Assert.Equal((2d, "v1.4", "team-pay"), (patched.DefaultWeight!.Value, Assert.Single(patched.Tags), patched.Properties["owner"]));
    }

    [Fact]
    public async Task Patch_Null_RemovesTheMemberOrTheEntry()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", Document);

        var patched = await PatchedAsync(client, "pay",
            """{"defaultWeight":null,"instanceWeights":{"10.0.0.1#8080#DEFAULT":null},"properties":{"tier":null}}""");

        Assert.Null(patched.DefaultWeight);
        Assert.Empty(patched.InstanceWeights);
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "team-pay" }, patched.Properties);
        Assert.Equal(2, patched.Protocols.Count);
    }

    [Fact]
    public async Task Patch_Arrays_AreReplacedWhole()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", Document);

        var patched = await PatchedAsync(client, "pay", """{"tags":["v1.5","canary"],"protocols":[{"name":"http","port":8081}]}""");

        Assert.Equal(["v1.5", "canary"], patched.Tags);
        Assert.Equal([new ProtocolInfo("http", 8081)], patched.Protocols);
    }

    [Fact]
    public async Task Patch_NoDocumentYet_CreatesOneUnlessIfMatchIsGiven()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var conditional = await PatchAsync(client, "pay", """{"tags":["a"]}""", ifMatch: "\"1\"");
        Assert.Equal("version-mismatch", (await conditional.ProblemAsync(HttpStatusCode.PreconditionFailed)).Code());

        var created = await PatchedAsync(client, "pay", """{"tags":["a"]}""", HttpStatusCode.Created);
        Assert.Equal((1L, "create"), (created.Version, created.Op));
        Assert.Equal(["a"], created.Tags);
    }

    [Fact]
    public async Task Patch_IfMatch_IsACompareAndSet()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", Document);
        await client.PutMetadataAsync("pay", Document);

        using var stale = await PatchAsync(client, "pay", """{"tags":["x"]}""", ifMatch: "\"1\"");
        using var fresh = await PatchAsync(client, "pay", """{"tags":["y"]}""", ifMatch: "\"2\"");

        var problem = await stale.ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(2, problem.GetProperty("currentVersion").GetInt64());
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal("\"3\"", fresh.Headers.ETag!.Tag);
        var current = (await client.GetFromJsonAsync<ServiceMetadataInfo>(MetadataApi.Path("pay"), Ct))!;
        Assert.Equal(["y"], current.Tags);
    }

    [Fact]
    public async Task Patch_ConcurrentPatchesOfDifferentEntries_AreAllKept()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", Document);

        await Task.WhenAll(Enumerable.Range(1, 12).Select(i => PatchedAsync(client, "pay", $$$"""{"properties":{"p{{{i}}}":"{{{i}}}"}}""")));

        var current = (await client.GetFromJsonAsync<ServiceMetadataInfo>(MetadataApi.Path("pay"), Ct))!;
        Assert.Equal(14, current.Properties.Count);
        Assert.Equal(13, current.Version);
    }

    [Theory]
    [InlineData("""{"defaultWeight":20000}""", "defaultWeight")]
    [InlineData("""{"defaultWeight":"heavy"}""", "defaultWeight")]
    [InlineData("""{"instanceWeights":{"not-an-id":1}}""", "instanceWeights")]
    [InlineData("""{"protocols":[{"name":"grpc","port":0}]}""", "protocols[0].port")]
    [InlineData("""{"colour":"blue"}""", "colour")]
    public async Task Patch_MergedDocumentBreaksARule_Returns400NamingTheFieldAndChangesNothing(string patch, string field)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", Document);

        using var response = await PatchAsync(client, "pay", patch);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.Errors(field).Length > 0, problem.ToString());
        Assert.Equal(1, (await client.GetFromJsonAsync<ServiceMetadataInfo>(MetadataApi.Path("pay"), Ct))!.Version);
    }

    [Theory]
    [InlineData("[1,2]", "application/merge-patch+json", HttpStatusCode.BadRequest)]
    [InlineData("{\"tags\":", "application/merge-patch+json", HttpStatusCode.BadRequest)]
    [InlineData("tags=a", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType)]
    public async Task Patch_BodyThatIsNoJsonObject_IsRefused(string body, string mediaType, HttpStatusCode status)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await PatchAsync(client, "pay", body, mediaType: mediaType);

        await response.ProblemAsync(status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(MetadataApi.Path("pay"), Ct)).StatusCode);
    }

    [Fact]
    public async Task Patch_NoJsonContentType_Returns415NamingTheMergePatchType()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await PatchAsync(client, "pay", "{}", mediaType: "text/plain");

        var problem = await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/merge-patch+json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_PlainJsonContentType_IsAccepted()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await PatchAsync(client, "pay", """{"tags":["a"]}""", mediaType: "application/json");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Patch_IsAuditedAsAPatchAndNeedsTheWriteRole()
    {
        await using var app = AuthApp.Create();
        using var admin = app.Client(AuthApp.Admin);
        using var reader = app.Client(AuthApp.Reader);
        using var writer = app.Client(AuthApp.Writer);

        using var refused = await PatchAsync(reader, "pay", """{"tags":["a"]}""");
        await PatchedAsync(writer, "pay", """{"tags":["a"]}""", HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var audit = (await admin.GetFromJsonAsync<Paged<AuditEntryInfo>>("/v1/audit?outcome=ok", Ct))!;
        Assert.Equal("metadata.patch", audit.Items[0].Action);
    }
}
