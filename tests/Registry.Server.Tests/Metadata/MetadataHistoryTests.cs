using System.Net;
using System.Net.Http.Json;
using Registry.Contracts;
using Registry.Contracts.Metadata;
using Registry.Server.Metadata;

namespace Registry.Server.Tests.Metadata;

/// <summary>History of metadata documents beyond reads: retention, diff and rollback, the same as config's.</summary>
public sealed class MetadataHistoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Weighted(double weight) => new { defaultWeight = weight, tags = new[] { $"w{weight}" } };

    [Fact]
    public async Task Retention_ByCount_KeepsOnlyTheNewestVersions()
    {
        await using var app = new RegistryApp(settings: new Dictionary<string, string?> { ["Registry:Metadata:HistoryMaxVersions"] = "3" });
        using var client = app.CreateClient();
        for (var i = 1; i <= 6; i++)
        {
            await client.PutMetadataAsync("pay", Weighted(i));
        }

        var history = await HistoryAsync(client, "pay");

        Assert.Equal([6L, 5L, 4L], history.Items.Select(v => v.Version));
        Assert.Equal(3, history.Total);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(MetadataApi.Path("pay", "version=3"), Ct)).StatusCode);
        Assert.Equal(4, (await client.GetFromJsonAsync<ServiceMetadataInfo>(MetadataApi.Path("pay", "version=4"), Ct))!.DefaultWeight);
    }

    [Fact]
    public async Task History_OfLargeDocuments_IsAPageOfSummariesWithTheDocumentsReadByVersion()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        for (var version = 1; version <= 3; version++)
        {
            // About a megabyte each: ten thousand weight overrides of long instance ids.
            var weights = Enumerable.Range(0, 10_000).ToDictionary(i => $"10.{i / 250}.{i % 250}.{version}#8080#{new string('c', 60)}", _ => 1.0);
            await client.PutMetadataAsync("pay", new { instanceWeights = weights });
        }

        using var response = await client.GetAsync(MetadataApi.Path("pay") + "/history?pageSize=100", Ct);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);
        var history = System.Text.Json.JsonSerializer.Deserialize<Paged<MetadataVersionInfo>>(body, System.Text.Json.JsonSerializerOptions.Web)!;

        Assert.Equal([3L, 2L, 1L], history.Items.Select(v => v.Version));
        Assert.InRange(body.Length, 1, 4096);
        var first = (await client.GetFromJsonAsync<ServiceMetadataInfo>(MetadataApi.Path("pay", "version=1"), Ct))!;
        Assert.Equal(10_000, first.InstanceWeights.Count);
    }

    [Fact]
    public async Task Retention_ByAge_RemovesOldVersionsButNeverTheCurrentOne()
    {
        await using var app = new RegistryApp(settings: new Dictionary<string, string?> { ["Registry:Metadata:HistoryMaxAge"] = "1.00:00:00" });
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", Weighted(1));
        await client.PutMetadataAsync("pay", Weighted(2));
        await client.PutMetadataAsync("old", Weighted(1));
        app.Time.Advance(TimeSpan.FromHours(30));
        await client.PutMetadataAsync("pay", Weighted(3));

        await app.Service<MetadataHistoryRetention>().TrimAsync(Ct);

        Assert.Equal([3L], (await HistoryAsync(client, "pay")).Items.Select(v => v.Version));
        Assert.Equal([1L], (await HistoryAsync(client, "old")).Items.Select(v => v.Version));
        Assert.Equal(1, (await client.GetFromJsonAsync<ServiceMetadataInfo>(MetadataApi.Path("old"), Ct))!.DefaultWeight);
    }

    [Fact]
    public async Task Diff_TwoVersions_IsAUnifiedDiffOfTheDocumentsAsJson()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", Weighted(1));
        await client.PutMetadataAsync("pay", Weighted(2));

        using var response = await client.GetAsync(DiffPath("pay", "from=1"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        var diff = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("--- pay@1", diff);
        Assert.Contains("+++ pay@2", diff);
        Assert.Contains("-  \"defaultWeight\": 1,", diff);
        Assert.Contains("+  \"defaultWeight\": 2,", diff);
    }

    [Theory]
    [InlineData("from=0", HttpStatusCode.BadRequest)]
    [InlineData("from=1&to=9", HttpStatusCode.NotFound)]
    public async Task Diff_BadVersions_AreRefused(string query, HttpStatusCode status)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", Weighted(1));

        using var response = await client.GetAsync(DiffPath("pay", query), Ct);

        await response.ProblemAsync(status);
    }

    [Fact]
    public async Task Rollback_ToAnEarlierVersion_WritesItsDocumentAsTheNextVersionAndRoutesByIt()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", Weighted(1));
        await client.PutMetadataAsync("pay", Weighted(2));

        using var response = await client.PostAsync(RollbackPath("pay", "to=1"), null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"3\"", response.Headers.ETag!.Tag);
        var metadata = (await response.Content.ReadFromJsonAsync<ServiceMetadataInfo>(Ct))!;
        Assert.Equal((3L, "rollback", 1.0, response.Revision()), (metadata.Version, metadata.Op, metadata.DefaultWeight, metadata.Revision));
        Assert.Equal(["w1"], (await client.GetFromJsonAsync<ServiceMetadataInfo>(MetadataApi.Path("pay"), Ct))!.Tags);
    }

    [Fact]
    public async Task Rollback_ToTheCurrentDocument_ChangesNothing()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", Weighted(1));
        await client.PutMetadataAsync("pay", Weighted(2));
        await client.PutMetadataAsync("pay", Weighted(1));

        using var response = await client.PostAsync(RollbackPath("pay", "to=1"), null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, (await response.Content.ReadFromJsonAsync<ServiceMetadataInfo>(Ct))!.Version);
        Assert.Equal(3, (await HistoryAsync(client, "pay")).Total);
    }

    [Fact]
    public async Task Rollback_AfterDelete_BringsTheDocumentBack()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", Weighted(1));
        (await client.DeleteAsync(MetadataApi.Path("pay"), Ct)).EnsureSuccessStatusCode();

        using var response = await client.PostAsync(RollbackPath("pay", "to=1"), null, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, (await client.GetFromJsonAsync<ServiceMetadataInfo>(MetadataApi.Path("pay"), Ct))!.DefaultWeight);
    }

    [Theory]
    [InlineData("to=2", HttpStatusCode.NotFound, "metadata-version-deleted")]
    [InlineData("to=7", HttpStatusCode.NotFound, "metadata-version-not-found")]
    [InlineData("to=0", HttpStatusCode.BadRequest, "validation-failed")]
    public async Task Rollback_ToAVersionWithoutADocument_IsRefused(string query, HttpStatusCode status, string code)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", Weighted(1));
        (await client.DeleteAsync(MetadataApi.Path("pay"), Ct)).EnsureSuccessStatusCode();

        using var response = await client.PostAsync(RollbackPath("pay", query), null, Ct);

        Assert.Equal(code, (await response.ProblemAsync(status)).Code());
    }

    [Fact]
    public async Task Rollback_WithStaleIfMatch_Returns412AndChangesNothing()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PutMetadataAsync("pay", Weighted(1));
        await client.PutMetadataAsync("pay", Weighted(2));
        using var request = new HttpRequestMessage(HttpMethod.Post, RollbackPath("pay", "to=1"));
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(2L, (await response.ProblemAsync(HttpStatusCode.PreconditionFailed)).GetProperty("currentVersion").GetInt64());
        Assert.Equal(2, (await HistoryAsync(client, "pay")).Total);
    }

    [Fact]
    public async Task Rollback_ServiceWithoutDocument_Returns404()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        (await client.PutAsync("/v1/services/pay", null, Ct)).EnsureSuccessStatusCode();

        using var response = await client.PostAsync(RollbackPath("pay", "to=1"), null, Ct);

        Assert.Equal("metadata-not-found", (await response.ProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    private static string DiffPath(string service, string query) => $"/v1/services/{service}/metadata/diff?{query}";

    private static string RollbackPath(string service, string query) => $"/v1/services/{service}/metadata/rollback?{query}";

    private static async Task<Paged<MetadataVersionInfo>> HistoryAsync(HttpClient client, string service) =>
        (await client.GetFromJsonAsync<Paged<MetadataVersionInfo>>($"/v1/services/{service}/metadata/history", Ct))!;
}
