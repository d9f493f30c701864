using System.Net;
using System.Text.Json;

namespace Registry.Server.Tests.Compat.Nacos;

public sealed class NacosInstanceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Register_FormBody_ListsTheInstanceAsServiceInfo()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var reply = await client.RegisterAsync("nacos.test.1", "10.10.10.10", 8888, ("weight", "2"), ("ephemeral", "true"));
        var info = await client.ListAsync(("serviceName", "nacos.test.1"));

        Assert.Equal("ok", reply);
        Assert.Equal("DEFAULT_GROUP@@nacos.test.1", info.GetProperty("name").GetString());
        Assert.Equal("DEFAULT_GROUP", info.GetProperty("groupName").GetString());
        Assert.Equal("", info.GetProperty("clusters").GetString());
        Assert.Equal(3000, info.GetProperty("cacheMillis").GetInt64());
        Assert.Equal(app.Time.GetUtcNow().ToUnixTimeMilliseconds(), info.GetProperty("lastRefTime").GetInt64());
        Assert.Equal("", info.GetProperty("checksum").GetString());
        Assert.False(info.GetProperty("allIPs").GetBoolean());
        Assert.False(info.GetProperty("reachProtectionThreshold").GetBoolean());
        Assert.True(info.GetProperty("valid").GetBoolean());
        var host = Assert.Single(info.GetProperty("hosts").EnumerateArray());
        Assert.Equal("10.10.10.10#8888#DEFAULT#DEFAULT_GROUP@@nacos.test.1", host.GetProperty("instanceId").GetString());
        Assert.Equal("10.10.10.10", host.GetProperty("ip").GetString());
        Assert.Equal(8888, host.GetProperty("port").GetInt32());
        Assert.Equal(2.0, host.GetProperty("weight").GetDouble());
        Assert.True(host.GetProperty("healthy").GetBoolean());
        Assert.True(host.GetProperty("enabled").GetBoolean());
        Assert.True(host.GetProperty("ephemeral").GetBoolean());
        Assert.Equal("DEFAULT", host.GetProperty("clusterName").GetString());
        Assert.Equal("DEFAULT_GROUP@@nacos.test.1", host.GetProperty("serviceName").GetString());
        Assert.Equal(JsonValueKind.Object, host.GetProperty("metadata").ValueKind);
        Assert.Equal(5000, host.GetProperty("instanceHeartBeatInterval").GetInt64());
        Assert.Equal("simple", host.GetProperty("instanceIdGenerator").GetString());
        Assert.True(host.GetProperty("instanceHeartBeatTimeOut").GetInt64() > 5000);
        Assert.True(host.GetProperty("ipDeleteTimeout").GetInt64() >= host.GetProperty("instanceHeartBeatTimeOut").GetInt64());
    }

    [Fact]
    public async Task Register_QueryStringOnlyLikeTheNodeClient_RegistersInTheGroupWithLegacyEnableAndJsonMetadata()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        // The Node client: everything in the query string, grouped serviceName plus groupName, 'enable', JSON metadata.
        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/nacos/v1/ns/instance", query:
        [
            ("serviceName", "shop@@orders"), ("groupName", "shop"), ("clusterName", "east"), ("ip", "10.0.0.5"), ("port", "9000"),
            ("weight", "1"), ("enable", "false"), ("healthy", "true"), ("ephemeral", "true"),
            ("metadata", "{\"version\":\"2\",\"zone\":\"a\"}"), ("namespaceId", "public"),
        ]);

        var detail = JsonDocument.Parse(await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/nacos/v1/ns/instance",
            query: [("serviceName", "orders"), ("groupName", "shop"), ("ip", "10.0.0.5"), ("port", "9000"), ("clusterName", "east")])).RootElement;
        Assert.Equal("shop@@orders", detail.GetProperty("service").GetString());
        Assert.Equal("east", detail.GetProperty("clusterName").GetString());
        Assert.False(detail.GetProperty("enabled").GetBoolean());
        Assert.Equal("10.0.0.5#9000#east#shop@@orders", detail.GetProperty("instanceId").GetString());
        Assert.Equal("2", detail.GetProperty("metadata").GetProperty("version").GetString());
        Assert.Empty((await client.ListAsync(("serviceName", "shop@@orders"))).Ips());
    }

    [Fact]
    public async Task Register_MetadataAsKeyValuePairsAndLegacyClusterParameter_StoresBoth()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        await client.RegisterAsync("orders", "10.0.0.1", 8080, ("cluster", "west"), ("metadata", "version=1,zone=b"));

        var host = (await client.ListAsync(("serviceName", "orders"))).GetProperty("hosts")[0];
        Assert.Equal("west", host.GetProperty("clusterName").GetString());
        Assert.Equal("b", host.GetProperty("metadata").GetProperty("zone").GetString());
        Assert.Equal("1", host.GetProperty("metadata").GetProperty("version").GetString());
    }

    [Fact]
    public async Task Register_PreservedHeartBeatMetadata_SetsTheInstanceLease()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        await client.RegisterAsync("orders", "10.0.0.1", 8080,
            ("metadata", "{\"preserved.heart.beat.interval\":\"3000\",\"preserved.heart.beat.timeout\":\"9000\",\"preserved.ip.delete.timeout\":\"20000\"}"));

        var host = (await client.ListAsync(("serviceName", "orders"))).GetProperty("hosts")[0];
        Assert.Equal(3000, host.GetProperty("instanceHeartBeatInterval").GetInt64());
        Assert.Equal(9000, host.GetProperty("instanceHeartBeatTimeOut").GetInt64());
        Assert.Equal(20000, host.GetProperty("ipDeleteTimeout").GetInt64());
    }

    [Fact]
    public async Task Register_MissingIp_Returns400ParameterMissingText()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var (status, body, response) = await client.SendAsync(HttpMethod.Post, "/nacos/v1/ns/instance", form: [("serviceName", "orders"), ("port", "80")]);
        using var _ = response;

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Parameter 'ip' is missing", body);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Register_WeightOutOfRange_Returns400NamingTheFieldAndStoresNothing()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var body = await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/nacos/v1/ns/instance",
            form: [("serviceName", "orders"), ("ip", "10.0.0.1"), ("port", "80"), ("weight", "20000")]);

        Assert.Contains("weight", body, StringComparison.Ordinal);
        Assert.Empty((await client.ListAsync(("serviceName", "orders"))).Ips());
    }

    [Fact]
    public async Task Register_BadServiceName_Returns400AndStoresNothing()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/nacos/v1/ns/instance",
            form: [("serviceName", "@@orders"), ("ip", "10.0.0.1"), ("port", "80")]);
        var body = await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/nacos/v1/ns/instance",
            form: [("serviceName", "orders/../x"), ("ip", "10.0.0.1"), ("port", "80")]);

        Assert.Contains("service", body, StringComparison.Ordinal);
        Assert.Empty((await client.ListAsync(("serviceName", "orders"))).Ips());
    }

    [Fact]
    public async Task List_UnknownService_Returns200WithEmptyHosts()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var info = await client.ListAsync(("serviceName", "nothing"), ("clusters", "DEFAULT"));

        Assert.Equal("DEFAULT_GROUP@@nothing", info.GetProperty("name").GetString());
        Assert.Equal("DEFAULT", info.GetProperty("clusters").GetString());
        Assert.Empty(info.GetProperty("hosts").EnumerateArray());
    }

    [Fact]
    public async Task List_ClustersParameter_FiltersAndIsEchoedVerbatim()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", "10.0.0.1", 8080, ("clusterName", "east"));
        await client.RegisterAsync("orders", "10.0.0.2", 8080, ("clusterName", "west"));
        await client.RegisterAsync("orders", "10.0.0.3", 8080);

        var info = await client.ListAsync(("serviceName", "orders"), ("clusters", "east,DEFAULT"));

        Assert.Equal("east,DEFAULT", info.GetProperty("clusters").GetString());
        Assert.Equal(["10.0.0.1:8080", "10.0.0.3:8080"], info.Ips().Order());
    }

    [Fact]
    public async Task List_HealthyOnlyAndDisabledInstances_ExcludesUnhealthyOnRequestAndDisabledAlways()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", "10.0.0.1", 8080, ("ephemeral", "false"));
        await client.RegisterAsync("orders", "10.0.0.2", 8080, ("ephemeral", "false"));
        await client.RegisterAsync("orders", "10.0.0.3", 8080, ("ephemeral", "false"));
        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, "/nacos/v1/ns/instance",
            query: [("serviceName", "orders"), ("ip", "10.0.0.2"), ("port", "8080"), ("healthy", "false")]);
        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, "/nacos/v1/ns/instance",
            query: [("serviceName", "orders"), ("ip", "10.0.0.3"), ("port", "8080"), ("enabled", "false")]);

        var all = await client.ListAsync(("serviceName", "orders"), ("healthyOnly", "false"));
        var healthy = await client.ListAsync(("serviceName", "orders"), ("healthyOnly", "true"));

        Assert.Equal(["10.0.0.1:8080", "10.0.0.2:8080"], all.Ips().Order());
        Assert.False(all.GetProperty("hosts").EnumerateArray().Single(h => h.GetProperty("ip").GetString() == "10.0.0.2").GetProperty("healthy").GetBoolean());
        Assert.Equal(["10.0.0.1:8080"], healthy.Ips());
    }

    [Fact]
    public async Task List_ProtectThresholdReached_ReturnsEveryInstanceAsHealthyAndSaysSo()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/nacos/v1/ns/service", form: [("serviceName", "orders"), ("protectThreshold", "0.6")]);
        await client.RegisterAsync("orders", "10.0.0.1", 8080, ("ephemeral", "false"));
        await client.RegisterAsync("orders", "10.0.0.2", 8080, ("ephemeral", "false"));
        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, "/nacos/v1/ns/health/instance",
            form: [("serviceName", "orders"), ("ip", "10.0.0.2"), ("port", "8080"), ("healthy", "false")]);

        var info = await client.ListAsync(("serviceName", "orders"), ("healthyOnly", "true"));

        Assert.True(info.GetProperty("reachProtectionThreshold").GetBoolean());
        Assert.Equal(["10.0.0.1:8080", "10.0.0.2:8080"], info.Ips().Order());
        Assert.All(info.GetProperty("hosts").EnumerateArray(), h => Assert.True(h.GetProperty("healthy").GetBoolean()));
    }

    [Fact]
    public async Task Update_WeightAndMetadata_ChangesOnlyThose()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", "10.0.0.1", 8080, ("metadata", "a=1"));

        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, "/nacos/v1/ns/instance",
            form: [("serviceName", "orders"), ("ip", "10.0.0.1"), ("port", "8080"), ("weight", "5"), ("metadata", "b=2"), ("healthy", "false")]);

        var host = (await client.ListAsync(("serviceName", "orders"))).GetProperty("hosts")[0];
        Assert.Equal(5.0, host.GetProperty("weight").GetDouble());
        Assert.Equal("2", host.GetProperty("metadata").GetProperty("b").GetString());
        Assert.True(host.GetProperty("healthy").GetBoolean());
        Assert.True(host.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task HealthInstance_PersistentInstance_SetsItsHealthAndEphemeralIsRefused()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", "10.0.0.1", 8080, ("ephemeral", "false"));
        await client.RegisterAsync("orders", "10.0.0.2", 8080);

        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, "/nacos/v1/ns/health/instance",
            query: [("serviceName", "orders"), ("ip", "10.0.0.1"), ("port", "8080"), ("valid", "false")]);
        await client.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Put, "/nacos/v1/ns/health/instance",
            form: [("serviceName", "orders"), ("ip", "10.0.0.2"), ("port", "8080"), ("healthy", "false")]);

        Assert.Equal(["10.0.0.2:8080"], (await client.ListAsync(("serviceName", "orders"), ("healthyOnly", "true"))).Ips());
    }

    [Fact]
    public async Task Update_UnknownInstance_Returns404Text()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        await client.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Patch, "/nacos/v1/ns/instance",
            form: [("serviceName", "orders"), ("ip", "10.0.0.1"), ("port", "8080"), ("weight", "5")]);
    }

    [Fact]
    public async Task Detail_UnknownInstance_Returns404()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        await client.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, "/nacos/v1/ns/instance",
            query: [("serviceName", "orders"), ("ip", "10.0.0.1"), ("port", "8080")]);
    }

    [Fact]
    public async Task Deregister_QueryOnlyWithoutGroupNameLikeTheNodeClient_RemovesTheDefaultGroupInstance()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("DEFAULT_GROUP@@orders", "10.0.0.1", 8080, ("clusterName", "DEFAULT"));

        var reply = await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, "/nacos/v1/ns/instance",
            query: [("serviceName", "orders"), ("clusterName", "DEFAULT"), ("ip", "10.0.0.1"), ("port", "8080"), ("ephemeral", "true"), ("namespaceId", "public")]);

        Assert.Equal("ok", reply);
        Assert.Empty((await client.ListAsync(("serviceName", "orders"))).Ips());
    }

    [Fact]
    public async Task Deregister_FormBody_RemovesTheInstance()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("shop@@orders", "10.0.0.1", 8080);

        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, "/nacos/v1/ns/instance",
            form: [("serviceName", "orders"), ("groupName", "shop"), ("ip", "10.0.0.1"), ("port", "8080")]);

        Assert.Empty((await client.ListAsync(("serviceName", "shop@@orders"))).Ips());
    }

    [Fact]
    public async Task NamespaceIdDefaultLikeTheNodeClient_IsAcceptedWithoutCreatingItFirst()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/nacos/v1/ns/instance",
            query: [("serviceName", "DEFAULT_GROUP@@orders"), ("ip", "10.0.0.1"), ("port", "8080"), ("namespaceId", "default")]);

        Assert.Equal(["10.0.0.1:8080"], (await client.ListAsync(("serviceName", "orders"), ("namespaceId", "default"))).Ips());
        Assert.Empty((await client.ListAsync(("serviceName", "orders"))).Ips());
        var native = await client.GetStringAsync("/v1/namespaces/default", Ct);
        Assert.Contains("\"id\":\"default\"", native, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_RefusedValueInAnUnknownNamespace_CreatesNoNamespace()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/nacos/v1/ns/instance",
            query: [("serviceName", "orders"), ("ip", "10.0.0.1"), ("port", "70000"), ("namespaceId", "staging")]);

        using var response = await client.GetAsync("/v1/namespaces/staging", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task List_JavaClientUserAgentLikeTheNodeClient_ReturnsGroupedNames()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "Nacos-Java-Client:v1.0.0");
        client.DefaultRequestHeaders.TryAddWithoutValidation("Client-Version", "Nacos-Java-Client:v1.0.0");
        client.DefaultRequestHeaders.TryAddWithoutValidation("Request-Module", "Naming");
        await client.RegisterAsync("DEFAULT_GROUP@@orders", "10.0.0.1");

        var info = await client.ListAsync(("serviceName", "DEFAULT_GROUP@@orders"), ("clusters", ""), ("udpPort", "55963"),
            ("clientIP", "10.0.0.9"), ("healthyOnly", "false"));

        Assert.Equal("DEFAULT_GROUP@@orders", info.GetProperty("name").GetString());
        Assert.Equal("DEFAULT_GROUP@@orders", info.GetProperty("hosts")[0].GetProperty("serviceName").GetString());
    }
}
