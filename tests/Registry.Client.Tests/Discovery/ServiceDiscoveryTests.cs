using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.ServiceDiscovery;
using Registry.Client.Discovery;

namespace Registry.Client.Tests.Discovery;

public sealed class ServiceDiscoveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ResolveEndpoints_ServiceName_ListsEachInstanceInProportionToItsWeight()
    {
        await using var server = new RegistryServer();
        await server.RegisterAsync("orders", "10.0.0.1", 5001, weight: 1);
        await server.RegisterAsync("orders", "10.0.0.2", 5002, weight: 3);
        await using var app = await ClientHost.StartAsync(server.Handler, _ => { },
            services: s => s.AddServiceDiscovery().AddRegistryServiceEndpointProvider());

        var endpoints = await app.Get<ServiceEndpointResolver>().GetEndpointsAsync("http://orders", Ct);

        var counts = endpoints.Endpoints.GroupBy(e => e.EndPoint.ToString()!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["10.0.0.1:5001"] = 1, ["10.0.0.2:5002"] = 3 }, counts);
    }

    [Fact]
    public async Task HttpClient_ServiceNameAsHost_CallsAnInstanceRegisteredInTheRegistry()
    {
        await using var server = new RegistryServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var orders = builder.Build();
        orders.MapGet("/hello", () => "hello from orders");
        await orders.StartAsync(Ct);
        await server.RegisterAsync("orders", "127.0.0.1", new Uri(orders.Urls.First()).Port);
        await using var app = await ClientHost.StartAsync(server.Handler, _ => { }, services: s =>
        {
            s.AddServiceDiscovery().AddRegistryServiceEndpointProvider();
            s.AddHttpClient("orders", c => c.BaseAddress = new Uri("http://orders"))
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler())
                .AddServiceDiscovery();
        });

        using var http = app.Get<IHttpClientFactory>().CreateClient("orders");

        Assert.Equal("hello from orders", await http.GetStringAsync(new Uri("/hello", UriKind.Relative), Ct));
    }

    [Fact]
    public async Task ResolveEndpoints_InstanceLeaves_TheEndpointsFollow()
    {
        await using var server = new RegistryServer();
        var leaving = await server.RegisterAsync("orders", "10.0.0.1", 5001);
        await server.RegisterAsync("orders", "10.0.0.2", 5002);
        await using var app = await ClientHost.StartAsync(server.Handler, _ => { },
            services: s => s.AddServiceDiscovery().AddRegistryServiceEndpointProvider());
        var resolver = app.Get<ServiceEndpointResolver>();
        Assert.Equal(2, (await resolver.GetEndpointsAsync("http://orders", Ct)).Endpoints.Count);

        await server.DeregisterAsync("orders", leaving.Id);

        var after = await Eventually.MatchesAsync(
            async () => (await resolver.GetEndpointsAsync("http://orders", Ct)).Endpoints, e => e.Count == 1, "updated");
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 5002), after[0].EndPoint);
    }

    [Fact]
    public async Task ResolveEndpoints_EndpointName_SelectsInstancesByProtocolAndItsPort()
    {
        await using var server = new RegistryServer();
        await server.RegisterAsync("orders", "10.0.0.1", 5001);
        using (var http = server.Client())
        {
            using var grpc = await System.Net.Http.Json.HttpClientJsonExtensions.PutAsJsonAsync(http, "/v1/services/orders/instances",
                new { ip = "10.0.0.2", port = 5002, metadata = new Dictionary<string, string> { ["protocol.grpc.port"] = "9090" } }, Ct);
            grpc.EnsureSuccessStatusCode();
        }

        await using var app = await ClientHost.StartAsync(server.Handler, _ => { },
            services: s => s.AddServiceDiscovery().AddRegistryServiceEndpointProvider());

        var endpoints = await app.Get<ServiceEndpointResolver>().GetEndpointsAsync("http://_grpc.orders", Ct);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 9090), Assert.Single(endpoints.Endpoints).EndPoint);
    }

    [Fact]
    public async Task HttpClient_NameWithoutAnInstance_FailsWithTheRegistrysReasonNotDnsAndRecovers()
    {
        await using var server = new RegistryServer();
        await using var app = await ClientHost.StartAsync(server.Handler, _ => { }, services: s =>
        {
            s.AddServiceDiscovery().AddRegistryServiceEndpointProvider();
            s.AddHttpClient("orders", c => c.BaseAddress = new Uri("http://orders")).AddServiceDiscovery();
        });
        using var http = app.Get<IHttpClientFactory>().CreateClient("orders");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => http.GetStringAsync(new Uri("/hello", UriKind.Relative), Ct));

        var noInstance = Assert.Single(Chain(failure).OfType<NoInstanceAvailableException>());
        Assert.Equal("No instance available for 'orders' in namespace 'public', group 'DEFAULT_GROUP' of the registry.", noInstance.Message);
        await server.RegisterAsync("orders", "10.0.0.1", 5001);
        var resolver = app.Get<ServiceEndpointResolver>();
        await Eventually.MatchesAsync(async () =>
        {
            try
            {
                return (await resolver.GetEndpointsAsync("http://orders", Ct)).Endpoints.Count;
            }
            catch (NoInstanceAvailableException)
            {
                return 0;
            }
        }, count => count == 1, "resolved once an instance registered");
    }

    [Fact]
    public async Task ResolveEndpoints_NameWithoutAnInstanceAndTheFallbackChosen_IsLeftToDns()
    {
        await using var server = new RegistryServer();
        await using var app = await ClientHost.StartAsync(server.Handler, o => o.Discovery.FallbackToDns = true,
            services: s => s.AddServiceDiscovery().AddRegistryServiceEndpointProvider());

        var endpoints = await app.Get<ServiceEndpointResolver>().GetEndpointsAsync("http://orders", Ct);

        Assert.Equal("orders", Assert.IsType<DnsEndPoint>(Assert.Single(endpoints.Endpoints).EndPoint).Host);
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }

    [Fact]
    public async Task ServiceDiscoveryOnEveryHttpClient_TheClientsOwnCallsStillReachTheRegistry()
    {
        await using var server = new RegistryServer();
        await server.RegisterAsync("orders", "10.0.0.1", 5001);

        // As Aspire's service defaults set it: discovery on every HttpClient, the client's own ones included.
        await using var app = await ClientHost.StartAsync(server.Handler, o =>
        {
            o.Registration.Service = "shop";
            o.Registration.Ip = "10.0.0.9";
            o.Registration.Port = 8080;
        }, services: s =>
        {
            s.AddServiceDiscovery().AddRegistryServiceEndpointProvider();
            s.ConfigureHttpClientDefaults(http => http.AddServiceDiscovery());
        });

        await Eventually.MatchesAsync(() => server.ListAsync("shop"), l => l.Count == 1, "registered");
        var endpoints = await app.Get<ServiceEndpointResolver>().GetEndpointsAsync("http://orders", Ct);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 5001), Assert.Single(endpoints.Endpoints).EndPoint);
    }

    [Theory]
    [InlineData("http://10.0.0.9:8080")]
    [InlineData("http://localhost:8080")]
    [InlineData("http://registry.test")]
    public async Task ResolveEndpoints_AnAddressOrTheRegistrysOwnHost_IsLeftToTheNextProvider(string address)
    {
        await using var server = new RegistryServer();
        await using var app = await ClientHost.StartAsync(server.Handler, _ => { },
            services: s => s.AddServiceDiscovery().AddRegistryServiceEndpointProvider());

        var endpoints = await app.Get<ServiceEndpointResolver>().GetEndpointsAsync(address, Ct);

        Assert.Equal(new Uri(address).Host, Assert.Single(endpoints.Endpoints).EndPoint switch
        {
            IPEndPoint ip => ip.Address.ToString(),
            DnsEndPoint dns => dns.Host,
            var other => other.ToString(),
        });
    }

    [Fact]
    public void Copies_Weights_AreRoundedRelativeToTheLightestAndCapped()
    {
        var copies = RegistryServiceEndpointProvider.Copies(
        [
            RegistryResolverTests.Instance("10.0.0.1", 0.5),
            RegistryResolverTests.Instance("10.0.0.2", 1),
            RegistryResolverTests.Instance("10.0.0.3", 100),
            RegistryResolverTests.Instance("10.0.0.4", 0),
        ]).ToDictionary(c => c.Instance.Ip, c => c.Copies);

        Assert.Equal(new Dictionary<string, int> { ["10.0.0.1"] = 1, ["10.0.0.2"] = 2, ["10.0.0.3"] = RegistryServiceEndpointProvider.MaxCopies }, copies);
    }
}
