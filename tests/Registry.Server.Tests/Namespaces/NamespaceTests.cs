using System.Net;
using System.Net.Http.Json;
using Registry.Contracts;
using Registry.Contracts.Naming;

namespace Registry.Server.Tests.Namespaces;

public sealed class NamespaceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PutNamespace_New_Returns201ThenUpdatesWith200()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var created = await client.PutAsJsonAsync("/v1/namespaces/dev", new { displayName = "Development" }, Ct);
        using var updated = await client.PutAsJsonAsync("/v1/namespaces/dev", new { description = "for developers" }, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var ns = (await client.GetFromJsonAsync<NamespaceInfo>("/v1/namespaces/dev", Ct))!;
        Assert.Equal(("dev", "Development", "for developers"), (ns.Id, ns.DisplayName, ns.Description));
        Assert.Equal(updated.Revision(), ns.Revision);
    }

    [Fact]
    public async Task UnknownNamespace_ListsAndWatchesAreEmptyButChangesAndSingleReadsAre404()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        Assert.Empty((await client.ListAsync("orders", "namespace=later")).Instances);
        Assert.Empty((await client.GetFromJsonAsync<Paged<ServiceInfo>>("/v1/services?namespace=later", Ct))!.Items);
        var (watch, stream) = await SseReader.OpenAsync(client, "/v1/services/orders/watch?namespace=later");
        using (watch)
        await using (stream)
        {
            Assert.Equal(HttpStatusCode.OK, watch.StatusCode);
        }

        using var register = await client.PutAsJsonAsync(Api.Instances("orders", "namespace=later"), new { ip = "10.0.0.1", port = 80 }, Ct);
        using var read = await client.GetAsync("/v1/services/orders?namespace=later", Ct);
        Assert.Equal("namespace-not-found", (await register.ProblemAsync(HttpStatusCode.NotFound)).Code());
        await read.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PutNamespace_WithoutBody_CreatesItWithItsIdAsName()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync("/v1/namespaces/staging", null, Ct);

        var ns = (await response.Content.ReadFromJsonAsync<NamespaceInfo>(Ct))!;
        Assert.Equal(("staging", "staging"), (ns.Id, ns.DisplayName));
    }

    [Fact]
    public async Task ListNamespaces_IncludesTheDefaultOneAndCounts()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        (await client.PutAsJsonAsync("/v1/namespaces/dev", new { displayName = "Development" }, Ct)).EnsureSuccessStatusCode();
        (await client.PutAsync("/v1/namespaces/prod", null, Ct)).EnsureSuccessStatusCode();
        await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80 }, "namespace=dev");
        await client.RegisterAsync("users", new { ip = "10.0.0.2", port = 80 }, "namespace=dev");

        var all = (await client.GetFromJsonAsync<Paged<NamespaceInfo>>("/v1/namespaces", Ct))!;
        var search = (await client.GetFromJsonAsync<Paged<NamespaceInfo>>("/v1/namespaces?search=develop", Ct))!;
        var page = (await client.GetFromJsonAsync<Paged<NamespaceInfo>>("/v1/namespaces?page=2&pageSize=2", Ct))!;

        Assert.Equal(["dev", "prod", "public"], all.Items.Select(n => n.Id));
        Assert.Equal((2, 2, 2), (all.Items[0].ServiceCount, all.Items[0].InstanceCount, all.Items[0].HealthyCount));
        Assert.Equal(["dev"], search.Items.Select(n => n.Id));
        Assert.Equal(3, page.Total);
        Assert.Equal(["public"], page.Items.Select(n => n.Id));
    }

    [Fact]
    public async Task DeleteNamespace_Empty_Returns204AndItIsGone()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        (await client.PutAsync("/v1/namespaces/dev", null, Ct)).EnsureSuccessStatusCode();

        using var response = await client.DeleteAsync("/v1/namespaces/dev", Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/namespaces/dev", Ct)).StatusCode);
        using var register = await client.PutAsJsonAsync(Api.Instances("orders", "namespace=dev"), new { ip = "10.0.0.1", port = 80 }, Ct);
        Assert.Equal("namespace-not-found", (await register.ProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Fact]
    public async Task DeleteNamespace_WithServices_Returns409()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        (await client.PutAsync("/v1/namespaces/dev", null, Ct)).EnsureSuccessStatusCode();
        await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80 }, "namespace=dev");

        using var response = await client.DeleteAsync("/v1/namespaces/dev", Ct);

        Assert.Equal("namespace-not-empty", (await response.ProblemAsync(HttpStatusCode.Conflict)).Code());
    }

    [Fact]
    public async Task DeleteNamespace_Default_Returns409()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.DeleteAsync("/v1/namespaces/public", Ct);

        Assert.Equal("default-namespace", (await response.ProblemAsync(HttpStatusCode.Conflict)).Code());
    }

    [Fact]
    public async Task DeleteNamespace_Unknown_Returns404()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.DeleteAsync("/v1/namespaces/nope", Ct);

        Assert.Equal("namespace-not-found", (await response.ProblemAsync(HttpStatusCode.NotFound)).Code());
    }

    [Theory]
    [InlineData("/v1/namespaces/bad%20id", "{}", "namespace")]
    [InlineData("/v1/namespaces/dev", """{"displayName":"a\u0007b"}""", "displayName")]
    [InlineData("/v1/namespaces/dev", """{"description":1}""", "description")]
    public async Task PutNamespace_BadInput_Returns400(string path, string body, string field)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync(path, Naming.RegisterInstanceTests.Json(body), Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors(field));
    }

    [Fact]
    public async Task PutNamespace_DisplayNameTooLong_Returns400()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsJsonAsync("/v1/namespaces/dev", new { displayName = new string('n', 129) }, Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("displayName"));
    }
}
