using System.Net;
using System.Net.Http.Json;
using Registry.Contracts.Naming;

namespace Registry.Server.Tests.Naming;

public sealed class ConcurrencyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Register_SameInstanceInParallel_MakesExactlyOneInstance()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ =>
            client.RegisterAsync("orders", new { ip = "10.0.0.1", port = 8080, metadata = new { v = "1" } })));

        Assert.Single(results.Select(r => r.Id).Distinct());
        Assert.Single(results.Select(r => r.Revision).Distinct());
        Assert.Single((await client.ListAsync("orders")).Instances);
    }

    [Fact]
    public async Task Register_ManyInstancesInParallel_EachTakesItsOwnStrictlyIncreasingRevision()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();

        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            client.RegisterAsync($"svc-{i % 5}", $"10.0.{i / 250}.{i % 250 + 1}")));

        Assert.Equal(300, results.Select(r => r.Revision).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), results.Select(r => r.Revision).Order());
        var lists = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => client.ListAsync($"svc-{i}")));
        Assert.Equal(300, lists.Sum(l => l.Instances.Count));
        var tree = (await client.GetFromJsonAsync<NamingTree>("/v1/tree", Ct))!;
        Assert.Equal((300, 300L), (tree.Namespaces.Single().InstanceCount, tree.Revision));
    }

    [Fact]
    public async Task MixedWork_InParallel_LeavesConsistentState()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var initial = await Task.WhenAll(Enumerable.Range(1, 100).Select(i => client.RegisterAsync("orders", $"10.0.0.{i}")));

        // Odd instances are deregistered while everyone beats and the even ones re-register with a new weight.
        var work = initial.SelectMany<InstanceInfo, Func<Task>>((instance, i) =>
        [
            () => client.BeatAsync("orders", instance.Id),
            async () => await client.RegisterAsync("orders", new { ip = instance.Ip, port = 8080, weight = i % 2 == 0 ? 5 : 1 }),
            async () =>
            {
                if (i % 2 == 1)
                {
                    using var response = await client.DeleteAsync(Api.Instance("orders", instance.Id), Ct);
                    Assert.Contains(response.StatusCode, new[] { HttpStatusCode.NoContent, HttpStatusCode.NotFound });
                }
            },
        ]).ToList();
        await Task.WhenAll(work.OrderBy(_ => Random.Shared.Next()).Select(step => Task.Run(step, Ct)));
        // A delete may have run before the re-register of the same instance; delete the odd ones again to settle.
        await Task.WhenAll(initial.Where((_, i) => i % 2 == 1).Select(instance => client.DeleteAsync(Api.Instance("orders", instance.Id), Ct)));

        var list = await client.ListAsync("orders");
        Assert.Equal(50, list.Instances.Count);
        Assert.Equal(50, list.Instances.Select(i => i.Id).Distinct().Count());
        Assert.All(list.Instances, i => Assert.Equal(5, i.Weight));
        var service = (await client.GetFromJsonAsync<ServiceInfo>("/v1/services/orders", Ct))!;
        Assert.Equal((50, 50), (service.InstanceCount, service.HealthyCount));
        Assert.True(list.Revision >= list.Instances.Max(i => i.Revision), "the service revision covers every instance change");
    }
}
