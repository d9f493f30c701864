using System.Net;
using System.Net.Http.Json;
using Registry.Contracts;
using Registry.Contracts.Naming;
using Registry.Server.Naming;

namespace Registry.Server.Tests.Naming;

public sealed class ServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PutService_New_Returns201ThenUpdatesWith200()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var created = await client.PutAsJsonAsync("/v1/services/orders", new { protectThreshold = 0.4, metadata = new { owner = "team-a" } }, Ct);
        using var updated = await client.PutAsJsonAsync("/v1/services/orders", new { protectThreshold = 0.2 }, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var service = (await updated.Content.ReadFromJsonAsync<ServiceInfo>(Ct))!;
        Assert.Equal(0.2, service.ProtectThreshold);
        Assert.Equal("team-a", service.Metadata["owner"]);
        Assert.True(updated.Revision() > created.Revision());
    }

    [Fact]
    public async Task GetService_WithInstances_ShowsCountsPerCluster()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var a = await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80, cluster = "a" });
        await client.RegisterAsync("orders", new { ip = "10.0.0.2", port = 80, cluster = "a" });
        var b = await client.RegisterAsync("orders", new { ip = "10.0.0.3", port = 80, cluster = "b" });
        app.Time.Advance(TimeSpan.FromSeconds(16));
        await client.BeatAsync("orders", a.Id);
        await client.BeatAsync("orders", b.Id);
        await app.Service<HeartbeatSweeper>().SweepAsync(Ct);

        var service = (await client.GetFromJsonAsync<ServiceInfo>("/v1/services/orders", Ct))!;

        Assert.Equal((3, 2), (service.InstanceCount, service.HealthyCount));
        Assert.Equal([new ClusterInfo("a", 2, 1), new ClusterInfo("b", 1, 1)], service.Clusters);
        Assert.Equal(0, service.ProtectThreshold);
    }

    [Fact]
    public async Task GetService_Unknown_Returns404Problem()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/v1/services/nobody", Ct);

        Assert.Equal("service-not-found", (await response.ProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Fact]
    public async Task PutService_WithoutBody_CreatesItWithDefaultsAndKeepsAnExistingOneAsItIs()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        using var created = await client.PutAsync("/v1/services/orders", null, Ct);
        (await client.PutAsJsonAsync("/v1/services/orders", new { protectThreshold = 0.3 }, Ct)).EnsureSuccessStatusCode();

        using var again = await client.PutAsync("/v1/services/orders", null, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(0.3, (await again.Content.ReadFromJsonAsync<ServiceInfo>(Ct))!.ProtectThreshold);
    }

    [Fact]
    public async Task PutService_UnknownNamespace_Returns404Problem()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsJsonAsync("/v1/services/orders?namespace=nope", new { }, Ct);

        Assert.Equal("namespace-not-found", (await response.ProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Theory]
    [InlineData("""{"protectThreshold":1.5}""", "protectThreshold")]
    [InlineData("""{"protectThreshold":-0.1}""", "protectThreshold")]
    [InlineData("""{"metadata":{"k":null}}""", "metadata")]
    [InlineData("""{"protectThreshold":"half"}""", "protectThreshold")]
    public async Task PutService_BadInput_Returns400(string body, string field)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync("/v1/services/orders", RegisterInstanceTests.Json(body), Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors(field));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/services/orders", Ct)).StatusCode);
    }

    [Fact]
    public async Task ListServices_ManyServices_ArePagedSearchableAndCounted()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        foreach (var name in new[] { "orders", "payments", "order-history", "users" })
        {
            await client.RegisterAsync(name, "10.0.0.1");
        }

        await client.RegisterAsync("orders", "10.0.0.2");
        await client.RegisterAsync("elsewhere", new { ip = "10.0.0.1", port = 80 }, "group=other");

        var all = (await client.GetFromJsonAsync<Paged<ServiceInfo>>("/v1/services?pageSize=2&page=2", Ct))!;
        var search = (await client.GetFromJsonAsync<Paged<ServiceInfo>>("/v1/services?search=ORDER", Ct))!;
        var other = (await client.GetFromJsonAsync<Paged<ServiceInfo>>("/v1/services?group=other", Ct))!;

        Assert.Equal((4, 2, 2), (all.Total, all.Page, all.PageSize));
        Assert.Equal(["payments", "users"], all.Items.Select(s => s.Name));
        Assert.Equal(["order-history", "orders"], search.Items.Select(s => s.Name));
        Assert.Equal([1, 2], search.Items.Select(s => s.InstanceCount));
        Assert.Equal(["elsewhere"], other.Items.Select(s => s.Name));
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=1001", "pageSize")]
    [InlineData("group=", "group")]
    public async Task ListServices_BadPaging_Returns400(string query, string field)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync($"/v1/services?{query}", Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors(field));
    }

    [Fact]
    public async Task ListServices_PageNotANumber_Returns400Problem()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/v1/services?page=two", Ct);

        await response.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task DeleteService_WithInstances_Returns409AndKeepsIt()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", "10.0.0.1");

        using var response = await client.DeleteAsync("/v1/services/orders", Ct);

        Assert.Equal("service-not-empty", (await response.ProblemAsync(HttpStatusCode.Conflict)).Code());
        Assert.Single((await client.ListAsync("orders")).Instances);
    }

    [Fact]
    public async Task DeleteService_Empty_Returns204AndRemovesIt()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var instance = await client.RegisterAsync("orders", "10.0.0.1");
        (await client.DeleteAsync(Api.Instance("orders", instance.Id), Ct)).EnsureSuccessStatusCode();

        using var response = await client.DeleteAsync("/v1/services/orders", Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(response.Revision() > instance.Revision);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/services/orders", Ct)).StatusCode);
    }

    [Fact]
    public async Task DeleteService_Unknown_Returns404Problem()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.DeleteAsync("/v1/services/nobody", Ct);

        Assert.Equal("service-not-found", (await response.ProblemAsync(HttpStatusCode.NotFound)).Code());
    }
}
