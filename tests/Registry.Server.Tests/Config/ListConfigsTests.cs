using System.Net;
using System.Net.Http.Json;
using Registry.Contracts;
using Registry.Contracts.Config;

namespace Registry.Server.Tests.Config;

public sealed class ListConfigsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_Group_ShowsItsLiveItemsPagedAndSearchable()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        foreach (var id in new[] { "orders.yaml", "payments.yaml", "orders-db.yaml", "users.yaml" })
        {
            await client.PublishAsync(id, "a: 1\n", query: "group=shop");
        }

        await client.PublishAsync("gone.yaml", "a: 1\n", query: "group=shop");
        (await client.DeleteAsync(ConfigApi.Path("gone.yaml", "group=shop"), Ct)).EnsureSuccessStatusCode();
        await client.PublishAsync("elsewhere.yaml", "a: 1\n");

        var page = await client.GetFromJsonAsync<Paged<ConfigInfo>>("/v1/configs?group=shop&pageSize=2&page=2", Ct);
        var search = await client.GetFromJsonAsync<Paged<ConfigInfo>>("/v1/configs?group=shop&search=ORDERS", Ct);

        Assert.Equal(4, page!.Total);
        Assert.Equal(["payments.yaml", "users.yaml"], page.Items.Select(c => c.DataId));
        Assert.Equal(["orders-db.yaml", "orders.yaml"], search!.Items.Select(c => c.DataId));
    }

    [Fact]
    public async Task List_EveryGroup_WithAStar()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("a.yaml", "a: 1\n", query: "group=one");
        await client.PublishAsync("b.yaml", "a: 1\n", query: "group=two");
        (await client.PutAsync("/v1/namespaces/dev", null, Ct)).EnsureSuccessStatusCode();
        await client.PublishAsync("c.yaml", "a: 1\n", query: "namespace=dev");

        var all = await client.GetFromJsonAsync<Paged<ConfigInfo>>("/v1/configs?group=*", Ct);

        Assert.Equal([("one", "a.yaml"), ("two", "b.yaml")], all!.Items.Select(c => (c.Group, c.DataId)));
    }

    [Fact]
    public async Task List_ByFormat_ShowsOnlyItemsOfThatFormat()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishAsync("a.yaml", "a: 1\n");
        await client.PublishAsync("b.json", "{}");
        await client.PublishAsync("c.yml", "c: 1\n");

        var yaml = await client.GetFromJsonAsync<Paged<ConfigInfo>>("/v1/configs?format=YAML", Ct);

        Assert.Equal(["a.yaml", "c.yml"], yaml!.Items.Select(c => c.DataId));
    }

    [Theory]
    [InlineData("group=a%20b", "group")]
    [InlineData("format=toml", "format")]
    [InlineData("page=0", "page")]
    [InlineData("namespace=%2A", "namespace")]
    public async Task List_BadQuery_Returns400(string query, string field)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync($"/v1/configs?{query}", Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors(field));
    }

    [Fact]
    public async Task DeleteNamespace_WithConfig_Returns409()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        (await client.PutAsync("/v1/namespaces/dev", null, Ct)).EnsureSuccessStatusCode();
        await client.PublishAsync("app.yaml", "a: 1\n", query: "namespace=dev");

        using var response = await client.DeleteAsync("/v1/namespaces/dev", Ct);

        Assert.Equal("namespace-not-empty", (await response.ProblemAsync(HttpStatusCode.Conflict)).Code());
    }
}
