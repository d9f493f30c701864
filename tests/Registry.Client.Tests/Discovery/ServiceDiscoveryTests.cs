using System.Net;
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
