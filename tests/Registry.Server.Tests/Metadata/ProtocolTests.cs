using System.Net;
using System.Net.Http.Json;
using Registry.Contracts.Naming;
using Registry.Server.Tests.Naming;

namespace Registry.Server.Tests.Metadata;

public sealed class ProtocolTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pick_Protocol_UsesTheInstancesOwnPortFirstElseTheDocuments()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("pay", new { ip = "10.0.0.1", port = 8080, metadata = new Dictionary<string, string> { ["protocol.grpc.port"] = "9091" } });
        await client.RegisterAsync("pay", new { ip = "10.0.0.2", port = 8080 });
        await client.PutMetadataAsync("pay", new { protocols = new[] { new { name = "grpc", port = 9090, path = "/pay.v1" } } });

        var endpoints = new HashSet<(string, int, string?)>();
        for (var i = 0; i < 100; i++)
        {
            var picked = (await client.GetFromJsonAsync<InstanceInfo>(Api.Instances("pay") + "/pick?protocol=grpc", Ct))!;
            endpoints.Add((picked.Endpoint!.Host, picked.Endpoint.Port, picked.Endpoint.Path));
            Assert.Equal("grpc", picked.Endpoint.Protocol);
        }

        Assert.Equal([("10.0.0.1", 9091, "/pay.v1"), ("10.0.0.2", 9090, "/pay.v1")], endpoints.Order());
    }

    [Fact]
    public async Task Pick_ProtocolOnlySomeInstancesDeclare_PicksOnlyThose()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("pay", new { ip = "10.0.0.1", port = 8080 });
        await client.RegisterAsync("pay", new { ip = "10.0.0.2", port = 8080, metadata = new Dictionary<string, string> { ["protocol.grpc.port"] = "9090", ["protocol.grpc.path"] = "/rpc" } });

        for (var i = 0; i < 50; i++)
        {
            var picked = (await client.GetFromJsonAsync<InstanceInfo>(Api.Instances("pay") + "/pick?protocol=grpc", Ct))!;
            Assert.Equal(new InstanceEndpoint("grpc", "10.0.0.2", 9090, "/rpc"), picked.Endpoint);
        }
    }

    [Fact]
    public async Task Pick_ProtocolNobodyServes_Returns404Problem()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("pay", new { ip = "10.0.0.1", port = 8080 });
        await client.PutMetadataAsync("pay", new { protocols = new[] { new { name = "http", port = 8080 } } });

        using var response = await client.GetAsync(Api.Instances("pay") + "/pick?protocol=grpc", Ct);

        var problem = await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("no-instance-available", problem.Code());
        Assert.Contains("grpc", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pick_WithoutProtocol_HasNoEndpoint()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("pay", new { ip = "10.0.0.1", port = 8080 });

        var picked = (await client.GetFromJsonAsync<InstanceInfo>(Api.Instances("pay") + "/pick", Ct))!;

        Assert.Null(picked.Endpoint);
    }

    [Fact]
    public async Task List_Protocol_FiltersAndCarriesEachEndpoint()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("pay", new { ip = "10.0.0.1", port = 8080 });
        await client.RegisterAsync("pay", new { ip = "10.0.0.2", port = 8080, metadata = new Dictionary<string, string> { ["protocol.grpc.port"] = "9092" } });
        await client.RegisterAsync("pay", new { ip = "10.0.0.3", port = 8080, metadata = new Dictionary<string, string> { ["protocol.dubbo.port"] = "20880" } });

        var grpc = await client.ListAsync("pay", "protocol=grpc");
        var all = await client.ListAsync("pay");

        Assert.Equal([("10.0.0.2", 9092)], grpc.Instances.Select(i => (i.Ip, i.Endpoint!.Port)));
        Assert.Equal(3, all.Instances.Count);
        Assert.All(all.Instances, i => Assert.Null(i.Endpoint));
    }

    [Theory]
    [InlineData("/pick?protocol=9p")]
    [InlineData("?protocol=a%20b")]
    public async Task Protocol_BadName_Returns400(string suffix)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(Api.Instances("pay") + suffix, Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("protocol"));
    }

    [Theory]
    [InlineData("protocol.grpc.port", "x")]
    [InlineData("protocol.grpc.port", "0")]
    [InlineData("protocol.grpc.port", "65536")]
    [InlineData("protocol.9x.port", "9090")]
    [InlineData("protocol.grpc.path", "no-slash")]
    [InlineData("protocol.grpc.path", "/a b")]
    [InlineData("protocol.a b.path", "/rpc")]
    public async Task Register_ProtocolDeclarationThatIsNotValid_Returns400(string key, string value)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        using var response = await client.PutAsJsonAsync(Api.Instances("pay"),
            new { ip = "10.0.0.1", port = 80, metadata = new Dictionary<string, string> { [key] = value } }, Ct);

        Assert.NotEmpty((await response.ProblemAsync(HttpStatusCode.BadRequest)).Errors("metadata"));
        Assert.Empty((await client.ListAsync("pay")).Instances);
    }

    [Theory]
    [InlineData("grpc", "GRPC")]
    [InlineData("GRPC", "grpc")]
    [InlineData("gRPC", "Grpc")]
    public async Task Protocol_InAnyCase_FindsTheSameEndpoint(string declared, string asked)
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        await client.RegisterAsync("pay", new { ip = "10.0.0.1", port = 8080, metadata = new Dictionary<string, string> { [$"protocol.{declared}.port"] = "7000" } });
        await client.PutMetadataAsync("pay", new { protocols = new[] { new { name = declared, port = 9000 } } });

        var listed = await client.ListAsync("pay", $"protocol={asked}");
        var picked = (await client.GetFromJsonAsync<InstanceInfo>(Api.Instances("pay") + $"/pick?protocol={asked}", Ct))!;

        Assert.Equal(new InstanceEndpoint("grpc", "10.0.0.1", 7000, null), Assert.Single(listed.Instances).Endpoint);
        Assert.Equal(new InstanceEndpoint("grpc", "10.0.0.1", 7000, null), picked.Endpoint);
    }
}
