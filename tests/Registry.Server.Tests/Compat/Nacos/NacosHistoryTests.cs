using System.Net;
using System.Text.Json;

namespace Registry.Server.Tests.Compat.Nacos;

public sealed class NacosHistoryTests
{
    private const string History = "/nacos/v1/cs/history";

    [Fact]
    public async Task Previous_OfTheSecondVersion_ReturnsTheFirstWithItsContent()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishConfigAsync("a", "g", "v1");
        await client.PublishConfigAsync("a", "g", "v2");

        var previous = JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, History + "/previous",
            query: [("id", "2"), ("dataId", "a"), ("group", "g")])).RootElement;

        Assert.Equal(("1", "v1", "I"), (previous.GetProperty("id").GetString(), previous.GetProperty("content").GetString(), previous.GetProperty("opType").GetString()));
    }

    [Fact]
    public async Task Detail_OfADeletion_ReturnsTheRowWithoutContent()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishConfigAsync("a", "g", "v1");
        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, "/nacos/v1/cs/configs", query: [("dataId", "a"), ("group", "g")]);

        var row = JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, History,
            query: [("nid", "2"), ("dataId", "a"), ("group", "g")])).RootElement;

        Assert.Equal("D", row.GetProperty("opType").GetString());
        Assert.False(row.TryGetProperty("content", out _));
    }

    [Fact]
    public async Task Detail_UnknownVersion_Returns404()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishConfigAsync("a", "g", "v1");

        await client.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, History, query: [("nid", "9"), ("dataId", "a"), ("group", "g")]);
        await client.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, History + "/previous", query: [("id", "1"), ("dataId", "a"), ("group", "g")]);
    }

    [Fact]
    public async Task Configs_OfATenant_ListsItsLiveConfigsWithoutContent()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishConfigAsync("a.json", "g1", "{}", ("tenant", "dev"), ("type", "json"));
        await client.PublishConfigAsync("b", "g2", "x", ("tenant", "dev"));
        await client.PublishConfigAsync("c", "g1", "x");

        var list = JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, History + "/configs",
            query: [("tenant", "dev")])).RootElement;

        Assert.Equal(["a.json", "b"], list.EnumerateArray().Select(c => c.GetProperty("dataId").GetString()).Order());
        Assert.All(list.EnumerateArray(), c => Assert.Equal("dev", c.GetProperty("tenant").GetString()));
        Assert.Equal("json", list.EnumerateArray().Single(c => c.GetProperty("dataId").GetString() == "a.json").GetProperty("type").GetString());
    }
}
