using System.Net;
using System.Net.Http.Json;
using System.Text;
using Registry.Contracts.Naming;

namespace Registry.Server.Tests.Naming;

public sealed class RegisterInstanceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Register_NewInstance_Returns201WithDerivedIdDefaultsAndRevision()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsJsonAsync(Api.Instances("orders"), new { ip = "10.0.0.1", port = 8080 }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var instance = (await response.Content.ReadFromJsonAsync<InstanceInfo>(Ct))!;
        Assert.Equal("10.0.0.1#8080#DEFAULT", instance.Id);
        Assert.Equal(("public", "DEFAULT_GROUP", "orders", "DEFAULT"), (instance.Namespace, instance.Group, instance.Service, instance.Cluster));
        Assert.Null(instance.Weight);
        Assert.Equal(1, instance.EffectiveWeight);
        Assert.True(instance.Enabled && instance.Healthy && instance.Ephemeral);
        Assert.Empty(instance.Metadata);
        Assert.Equal((5000, 15000, 30000), (instance.HeartbeatIntervalMs, instance.UnhealthyAfterMs, instance.EvictAfterMs));
        Assert.Equal(app.Time.GetUtcNow(), instance.RegisteredAt);
        Assert.True(instance.Revision > 0);
        Assert.Equal(instance.Revision, response.Revision());
        Assert.EndsWith("/v1/services/orders/instances/10.0.0.1%238080%23DEFAULT?namespace=public&group=DEFAULT_GROUP",
            response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Register_SameInstanceTwice_KeepsOneInstanceWithTheSameIdAndRevision()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var body = new { ip = "10.0.0.1", port = 8080, weight = 2, metadata = new Dictionary<string, string> { ["v"] = "1" } };

        var first = await client.RegisterAsync("orders", body);
        using var again = await client.PutAsJsonAsync(Api.Instances("orders"), body, Ct);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = (await again.Content.ReadFromJsonAsync<InstanceInfo>(Ct))!;
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Revision, second.Revision);
        Assert.Single((await client.ListAsync("orders")).Instances);
    }

    [Fact]
    public async Task Register_ChangedWeight_UpdatesTheInstanceAtTheNextRevision()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var first = await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 8080, weight = 1 });

        var second = await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 8080, weight = 5 });

        Assert.Equal(first.Id, second.Id);
        Assert.True(second.Revision > first.Revision);
        Assert.Equal(5, Assert.Single((await client.ListAsync("orders")).Instances).Weight);
    }

    [Fact]
    public async Task Register_OmittedFields_KeepTheCurrentValues()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 8080, weight = 3, enabled = false, metadata = new { zone = "a" } });

        var again = await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 8080 });

        Assert.Equal(3, again.Weight);
        Assert.False(again.Enabled);
        Assert.Equal("a", again.Metadata["zone"]);
    }

    [Fact]
    public async Task Register_LeaseOverrides_AreReturnedAndOmittedOnesUseServerDefaults()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var instance = await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 8080, heartbeatIntervalMs = 1000, unhealthyAfterMs = 3000 });

        Assert.Equal((1000, 3000, 30000), (instance.HeartbeatIntervalMs, instance.UnhealthyAfterMs, instance.EvictAfterMs));
    }

    [Fact]
    public async Task Register_AgainWithoutLeaseFields_KeepsTheLeaseAndWithOneSetsItAnew()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 8080, heartbeatIntervalMs = 2000, unhealthyAfterMs = 6000 });

        var kept = await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 8080, weight = 2 });
        var renewed = await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 8080, evictAfterMs = 60000 });

        Assert.Equal((2000, 6000, 30000), (kept.HeartbeatIntervalMs, kept.UnhealthyAfterMs, kept.EvictAfterMs));
        Assert.Equal((5000, 15000, 60000), (renewed.HeartbeatIntervalMs, renewed.UnhealthyAfterMs, renewed.EvictAfterMs));
    }

    [Theory]
    [InlineData("0:0:0:0:0:0:0:1", "::1")]
    [InlineData("FE80:0:0:0:0:0:0:1", "fe80::1")]
    [InlineData("Orders-1.Example.COM", "orders-1.example.com")]
    [InlineData("192.168.1.20", "192.168.1.20")]
    public async Task Register_AnyAddressSpelling_IsNormalizedSoTheIdIsStable(string ip, string normalized)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var instance = await client.RegisterAsync("orders", ip, 80);

        Assert.Equal(normalized, instance.Ip);
        Assert.Equal($"{normalized}#80#DEFAULT", instance.Id);
    }

    [Fact]
    public async Task Register_SameAddressInTwoClusters_MakesTwoInstances()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 8080 });
        await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 8080, cluster = "canary" });

        var list = await client.ListAsync("orders");
        Assert.Equal(["10.0.0.1#8080#DEFAULT", "10.0.0.1#8080#canary"], list.Instances.Select(i => i.Id));
    }

    [Fact]
    public async Task Register_InAnotherNamespaceAndGroup_IsVisibleOnlyThere()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        (await client.PutAsync("/v1/namespaces/dev", null, Ct)).EnsureSuccessStatusCode();

        var instance = await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 8080 }, "namespace=dev&group=shop");

        Assert.Equal(("dev", "shop"), (instance.Namespace, instance.Group));
        Assert.Single((await client.ListAsync("orders", "namespace=dev&group=shop")).Instances);
        Assert.Empty((await client.ListAsync("orders")).Instances);
        Assert.Empty((await client.ListAsync("orders", "namespace=dev")).Instances);
    }

    [Fact]
    public async Task Register_UnknownNamespace_Returns404Problem()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsJsonAsync(Api.Instances("orders", "namespace=nope"), new { ip = "10.0.0.1", port = 80 }, Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("namespace-not-found", problem.Code());
        Assert.Empty((await client.GetFromJsonAsync<Registry.Contracts.Paged<ServiceInfo>>("/v1/services?namespace=nope", Ct))!.Items);
    }

    public static TheoryData<string, string, string> BadRegistrations => new()
    {
        { """{"ip":"10.0.0.1","port":0}""", "port", "between 1 and 65535" },
        { """{"ip":"10.0.0.1","port":70000}""", "port", "between 1 and 65535" },
        { """{"ip":"10.0.0.1"}""", "port", "must not be empty" },
        { """{"port":80}""", "ip", "must not be empty" },
        { """{"ip":"10.0.0.256","port":80}""", "ip", "IPv4 address, an IPv6 address or a host name" },
        { """{"ip":"not a host","port":80}""", "ip", "IPv4 address, an IPv6 address or a host name" },
        { """{"ip":"[::1]","port":80}""", "ip", "IPv4 address, an IPv6 address or a host name" },
        { """{"ip":"10.0.0.1","port":80,"weight":-1}""", "weight", "between 0 and 10000" },
        { """{"ip":"10.0.0.1","port":80,"weight":10000.5}""", "weight", "between 0 and 10000" },
        { """{"ip":"10.0.0.1","port":80,"cluster":"a b"}""", "cluster", "letters, digits" },
        { """{"ip":"10.0.0.1","port":80,"cluster":""}""", "cluster", "must not be empty" },
        { """{"ip":"10.0.0.1","port":80,"metadata":{"":"x"}}""", "metadata", "1 to 128 characters" },
        { $$$"""{"ip":"10.0.0.1","port":80,"metadata":{"k":"{{{new string('x', 1025)}}}"}}""", "metadata", "at most 1024 characters" },
        { """{"ip":"10.0.0.1","port":80,"heartbeatIntervalMs":500}""", "heartbeatIntervalMs", "between 1000 and 300000" },
        { """{"ip":"10.0.0.1","port":80,"heartbeatIntervalMs":5000,"unhealthyAfterMs":4000}""", "unhealthyAfterMs", "longer than the heartbeat interval" },
        { """{"ip":"10.0.0.1","port":80,"unhealthyAfterMs":20000,"evictAfterMs":10000}""", "evictAfterMs", "must not be shorter" },
        { """{"ip":"10.0.0.1","port":80,"evictAfterMs":999999999999}""", "evictAfterMs", "between 1000 and 86400000" },
    };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task Register_BadField_Returns400NamingTheFieldAndRule(string body, string field, string rule)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync(Api.Instances("orders"), Json(body), Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("validation-failed", problem.Code());
        Assert.Contains(problem.Errors(field), message => message.Contains(rule, StringComparison.Ordinal));
        Assert.Empty((await client.ListAsync("orders")).Instances);
    }

    [Fact]
    public async Task Register_MetadataOverTheTotalSize_Returns400AndAtTheLimitIsAccepted()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        // Nine entries of 2 + 1022 characters make 9216, over the 8192 allowed together; eight make exactly 8192.
        var atLimit = Enumerable.Range(0, 8).ToDictionary(i => $"k{i}", _ => new string('v', 1022));
        var over = Enumerable.Range(0, 9).ToDictionary(i => $"k{i}", _ => new string('v', 1022));
        await client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 80, metadata = atLimit });
        using var response = await client.PutAsJsonAsync(Api.Instances("orders"), new { ip = "10.0.0.2", port = 80, metadata = over }, Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(problem.Errors("metadata"), m => m.Contains("at most 8192 characters together", StringComparison.Ordinal));
        Assert.Single((await client.ListAsync("orders")).Instances);
    }

    [Fact]
    public async Task Register_TooManyMetadataEntries_Returns400()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var metadata = Enumerable.Range(0, 65).ToDictionary(i => $"k{i}", i => "v");

        using var response = await client.PutAsJsonAsync(Api.Instances("orders"), new { ip = "10.0.0.1", port = 80, metadata }, Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(problem.Errors("metadata"), m => m.Contains("at most 64 entries", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Register_SeveralBadFields_ReportsEveryOneAtOnce()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync(Api.Instances("orders"), Json("""{"ip":"","port":-5,"weight":99999}"""), Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.Errors("ip"));
        Assert.NotEmpty(problem.Errors("port"));
        Assert.NotEmpty(problem.Errors("weight"));
    }

    [Theory]
    [InlineData("bad%20name", "service")]
    [InlineData("a%2Fb", "service")]
    [InlineData("orders?namespace=", "namespace")]
    [InlineData("orders?group=a%23b", "group")]
    public async Task Register_BadName_Returns400NamingTheField(string path, string field)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync($"/v1/services/{path}".Replace("?", "/instances?", StringComparison.Ordinal)
            + (path.Contains('?', StringComparison.Ordinal) ? "" : "/instances"), Json("""{"ip":"10.0.0.1","port":80}"""), Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.Errors(field));
    }

    [Fact]
    public async Task Register_LongestValidServiceName_IsAcceptedAndOneLongerIsNot()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        await client.RegisterAsync(new string('s', 256), "10.0.0.1");
        using var response = await client.PutAsync(Api.Instances(new string('s', 257)), Json("""{"ip":"10.0.0.1","port":80}"""), Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("service"));
    }

    [Theory]
    [InlineData("""{"ip":"10.0.0.1","port":""", "port")]
    [InlineData("""{"ip":"10.0.0.1","port":"8080"}""", "port")]
    [InlineData("""{"ip":10,"port":8080}""", "ip")]
    [InlineData("""{"ip":"10.0.0.1","port":80,"metadata":{"v":1}}""", "metadata.v")]
    [InlineData("""{"ip":"10.0.0.1","port":80,"weight":"heavy"}""", "weight")]
    [InlineData("""{"ip":"10.0.0.1","port":80,"enabled":"yes"}""", "enabled")]
    [InlineData("""{"ip":"10.0.0.1","port":99999999999}""", "port")]
    [InlineData("""[1,2]""", "body")]
    [InlineData("""not json""", "body")]
    [InlineData("""{"ip":"10.0.0.1","port":80,"port":81}""", "port")]
    [InlineData("""{"ip":"10.0.0.1","port":80,"wieght":5}""", "wieght")]
    [InlineData("""{"ip":"10.0.0.1","port":80,"metadata":{"a":"1","a":"2"}}""", "metadata.a")]
    public async Task Register_MalformedOrWronglyTypedJson_Returns400NamingTheField(string body, string field)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync(Api.Instances("orders"), Json(body), Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("malformed-body", problem.Code());
        Assert.NotEmpty(problem.Errors(field));
    }

    [Fact]
    public async Task Register_EmptyBody_Returns400Problem()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync(Api.Instances("orders"), Json(""), Ct);

        await response.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Register_NonJsonContentType_Returns415Problem()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsync(Api.Instances("orders"),
            new StringContent("ip=10.0.0.1", Encoding.UTF8, "text/plain"), Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("unsupported-media-type", problem.Code());
        Assert.Contains("application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    internal static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
