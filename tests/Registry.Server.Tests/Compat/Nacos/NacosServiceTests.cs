using System.Net;
using System.Text.Json;

namespace Registry.Server.Tests.Compat.Nacos;

public sealed class NacosServiceTests
{
    private const string Service = "/nacos/v1/ns/service";

    [Fact]
    public async Task Create_ThenGet_ReturnsTheServiceWithThresholdAndMetadata()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var reply = await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, Service,
            form: [("serviceName", "orders"), ("groupName", "shop"), ("protectThreshold", "0.5"), ("metadata", "{\"owner\":\"team-a\"}")]);
        var service = JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, Service,
            query: [("serviceName", "shop@@orders")])).RootElement;

        Assert.Equal("ok", reply);
        Assert.Equal("orders", service.GetProperty("name").GetString());
        Assert.Equal("shop", service.GetProperty("groupName").GetString());
        Assert.Equal("", service.GetProperty("namespaceId").GetString());
        Assert.Equal(0.5, service.GetProperty("protectThreshold").GetDouble());
        Assert.Equal("team-a", service.GetProperty("metadata").GetProperty("owner").GetString());
        Assert.Equal("none", service.GetProperty("selector").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Create_ExistingService_Returns400()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, Service, form: [("serviceName", "orders")]);

        var body = await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, Service, form: [("serviceName", "orders")]);

        Assert.Contains("already exists", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_QueryOnlyPut_ChangesTheThreshold()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, Service, form: [("serviceName", "orders")]);

        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, Service, query: [("serviceName", "orders"), ("protectThreshold", "0.8")]);

        var service = JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, Service, query: [("serviceName", "orders")])).RootElement;
        Assert.Equal(0.8, service.GetProperty("protectThreshold").GetDouble());
    }

    [Fact]
    public async Task Update_ThresholdOutOfRange_Returns400AndKeepsTheOldValue()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, Service, form: [("serviceName", "orders"), ("protectThreshold", "0.2")]);

        var body = await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Put, Service, form: [("serviceName", "orders"), ("protectThreshold", "7")]);

        Assert.Contains("protectThreshold", body, StringComparison.Ordinal);
        var service = JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, Service, query: [("serviceName", "orders")])).RootElement;
        Assert.Equal(0.2, service.GetProperty("protectThreshold").GetDouble());
    }

    [Fact]
    public async Task Get_UnknownService_Returns400ServiceNotFound()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var body = await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, Service, query: [("serviceName", "nope")]);

        Assert.StartsWith("service not found", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_ServiceWithInstances_IsRefusedAndAfterDeregisterSucceeds()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", "10.0.0.1");

        var refused = await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Delete, Service, query: [("serviceName", "orders")]);
        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, "/nacos/v1/ns/instance", query: [("serviceName", "orders"), ("ip", "10.0.0.1"), ("port", "8080")]);
        var deleted = await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, Service, query: [("serviceName", "orders")]);

        Assert.Contains("service delete failure", refused, StringComparison.Ordinal);
        Assert.Equal("ok", deleted);
        await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, Service, query: [("serviceName", "orders")]);
    }

    [Fact]
    public async Task List_PagedByGroup_ReturnsCountAndUngroupedDoms()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        foreach (var name in new[] { "a", "b", "c" })
        {
            await client.RegisterAsync("shop@@" + name, "10.0.0.1");
        }

        await client.RegisterAsync("other", "10.0.0.1");

        var page = JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, Service + "/list",
            query: [("pageNo", "2"), ("pageSize", "2"), ("groupName", "shop")])).RootElement;
        var all = JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, Service + "/list",
            query: [("pageNo", "1"), ("pageSize", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("groupName", "shop")])).RootElement;

        Assert.Equal(3, page.GetProperty("count").GetInt32());
        Assert.Equal(["c"], page.GetProperty("doms").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(["a", "b", "c"], all.GetProperty("doms").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public async Task CatalogServices_ReturnsCountsPerService()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", "10.0.0.1", 8080, ("clusterName", "east"));
        await client.RegisterAsync("orders", "10.0.0.2", 8080, ("clusterName", "west"));

        var catalog = JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/nacos/v1/ns/catalog/services",
            query: [("pageNo", "1"), ("pageSize", "10")])).RootElement;

        Assert.Equal(1, catalog.GetProperty("count").GetInt32());
        var item = catalog.GetProperty("serviceList")[0];
        Assert.Equal("orders", item.GetProperty("name").GetString());
        Assert.Equal("DEFAULT_GROUP", item.GetProperty("groupName").GetString());
        Assert.Equal(2, item.GetProperty("clusterCount").GetInt32());
        Assert.Equal(2, item.GetProperty("ipCount").GetInt32());
        Assert.Equal(2, item.GetProperty("healthyInstanceCount").GetInt32());
        Assert.Equal("false", item.GetProperty("triggerFlag").GetString());
    }

    [Fact]
    public async Task CatalogInstances_ReturnsListAndCount()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", "10.0.0.1");
        await client.RegisterAsync("orders", "10.0.0.2");

        var page = JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/nacos/v1/ns/catalog/instances",
            query: [("serviceName", "orders"), ("clusterName", "DEFAULT"), ("pageNo", "1"), ("pageSize", "1")])).RootElement;

        Assert.Equal(2, page.GetProperty("count").GetInt32());
        Assert.Single(page.GetProperty("list").EnumerateArray());
    }

    [Fact]
    public async Task OperatorMetrics_ReportsUpAndCountsOnRequest()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", "10.0.0.1");

        var status = JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/nacos/v1/ns/operator/metrics")).RootElement;
        var counts = JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/nacos/v1/ns/operator/metrics",
            query: [("onlyStatus", "false")])).RootElement;

        Assert.Equal("UP", status.GetProperty("status").GetString());
        Assert.Equal(1, counts.GetProperty("serviceCount").GetInt32());
        Assert.Equal(1, counts.GetProperty("instanceCount").GetInt32());
    }
}
