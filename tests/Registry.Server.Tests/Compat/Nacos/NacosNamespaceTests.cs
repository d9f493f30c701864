using System.Net;
using System.Text.Json;

namespace Registry.Server.Tests.Compat.Nacos;

public sealed class NacosNamespaceTests
{
    private const string Namespaces = "/nacos/v1/console/namespaces";

    private static async Task<JsonElement> ListAsync(HttpClient client) =>
        JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, Namespaces)).RootElement;

    [Fact]
    public async Task List_FreshServer_HasPublicAsTheEmptyId()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var list = await ListAsync(client);

        Assert.Equal(200, list.GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.Object, list.ValueKind);
        var item = Assert.Single(list.GetProperty("data").EnumerateArray());
        Assert.Equal("", item.GetProperty("namespace").GetString());
        Assert.Equal("public", item.GetProperty("namespaceShowName").GetString());
        Assert.Equal(200, item.GetProperty("quota").GetInt32());
        Assert.Equal(0, item.GetProperty("type").GetInt32());
    }

    [Fact]
    public async Task CreateUpdateDelete_FormBodies_ChangeTheList()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var created = await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, Namespaces,
            form: [("customNamespaceId", "dev"), ("namespaceName", "Development"), ("namespaceDesc", "for devs")]);
        var exists = await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, Namespaces,
            query: [("checkNamespaceIdExist", "true"), ("customNamespaceId", "dev")]);
        var updated = await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, Namespaces,
            form: [("namespace", "dev"), ("namespaceShowName", "Dev"), ("namespaceDesc", "changed")]);
        var dev = (await ListAsync(client)).GetProperty("data").EnumerateArray().Single(n => n.GetProperty("namespace").GetString() == "dev");
        var deleted = await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, Namespaces, query: [("namespaceId", "dev")]);

        Assert.Equal(["true", "true", "true", "true"], new[] { created, exists, updated, deleted });
        Assert.Equal("Dev", dev.GetProperty("namespaceShowName").GetString());
        Assert.Equal("changed", dev.GetProperty("namespaceDesc").GetString());
        Assert.Single((await ListAsync(client)).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Create_WithoutCustomId_GeneratesOne()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, Namespaces, form: [("namespaceName", "Generated")]);

        var generated = (await ListAsync(client)).GetProperty("data").EnumerateArray().Single(n => n.GetProperty("namespaceShowName").GetString() == "Generated");
        Assert.True(Guid.TryParse(generated.GetProperty("namespace").GetString(), out _));
    }

    [Fact]
    public async Task Create_ExistingId_Returns400()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, Namespaces, form: [("customNamespaceId", "dev"), ("namespaceName", "Dev")]);

        await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, Namespaces, form: [("customNamespaceId", "dev"), ("namespaceName", "Dev")]);
    }

    [Fact]
    public async Task Delete_NamespaceWithConfig_IsRefused()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.PublishConfigAsync("app.properties", "DEFAULT_GROUP", "a=1", ("tenant", "dev"));

        await client.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Delete, Namespaces, query: [("namespaceId", "dev")]);

        var dev = (await ListAsync(client)).GetProperty("data").EnumerateArray().Single(n => n.GetProperty("namespace").GetString() == "dev");
        Assert.Equal(1, dev.GetProperty("configCount").GetInt32());
    }
}
