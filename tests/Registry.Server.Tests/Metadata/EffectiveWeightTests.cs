using System.Net.Http.Json;
using Registry.Contracts.Naming;
using Registry.Server.Tests.Naming;

namespace Registry.Server.Tests.Metadata;

public sealed class EffectiveWeightTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_ShowsTheRegisteredAndTheEffectiveWeight()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var overridden = await client.RegisterAsync("pay", new { ip = "10.0.0.1", port = 80, weight = 2 });
        await client.RegisterAsync("pay", new { ip = "10.0.0.2", port = 80, weight = 3 });
        await client.RegisterAsync("pay", new { ip = "10.0.0.3", port = 80 });
        await client.PutMetadataAsync("pay", new { defaultWeight = 5, instanceWeights = new Dictionary<string, double> { [overridden.Id] = 9 } });

        var list = await client.ListAsync("pay");

        Assert.Equal([(2, 9), (3, 3), ((double?)null, 5)], list.Instances.Select(i => (i.Weight, i.EffectiveWeight)));
    }

    [Fact]
    public async Task List_SaysWhereEachEffectiveWeightComesFrom()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var overridden = await client.RegisterAsync("pay", new { ip = "10.0.0.1", port = 80, weight = 2 });
        await client.RegisterAsync("pay", new { ip = "10.0.0.2", port = 80, weight = 3 });
        await client.RegisterAsync("pay", new { ip = "10.0.0.3", port = 80 });
        await client.RegisterAsync("other", new { ip = "10.0.0.4", port = 80 });
        await client.PutMetadataAsync("pay", new { defaultWeight = 5, instanceWeights = new Dictionary<string, double> { [overridden.Id] = 9 } });

        var pay = await client.ListAsync("pay");
        var other = await client.ListAsync("other");

        Assert.Equal([WeightSources.Override, WeightSources.Instance, WeightSources.ServiceDefault], pay.Instances.Select(i => i.WeightSource));
        Assert.Equal(WeightSources.Default, Assert.Single(other.Instances).WeightSource);
    }

    [Fact]
    public async Task Override_SurvivesTheInstanceRegisteringAgain()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var instance = await client.RegisterAsync("pay", new { ip = "10.0.0.1", port = 80, weight = 2 });
        await client.PutMetadataAsync("pay", new { instanceWeights = new Dictionary<string, double> { [instance.Id] = 0 } });

        var again = await client.RegisterAsync("pay", new { ip = "10.0.0.1", port = 80, weight = 4 });

        Assert.Equal((4, 0), (again.Weight, again.EffectiveWeight));
        Assert.Equal(0, Assert.Single((await client.ListAsync("pay")).Instances).EffectiveWeight);
    }

    [Fact]
    public async Task Pick_NeverReturnsAnInstanceOverriddenToZero()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var zero = await client.RegisterAsync("pay", new { ip = "10.0.0.1", port = 80, weight = 100 });
        await client.RegisterAsync("pay", new { ip = "10.0.0.2", port = 80, weight = 1 });
        await client.PutMetadataAsync("pay", new { instanceWeights = new Dictionary<string, double> { [zero.Id] = 0 } });

        for (var i = 0; i < 200; i++)
        {
            Assert.Equal("10.0.0.2", (await client.GetFromJsonAsync<InstanceInfo>(Api.Instances("pay") + "/pick", Ct))!.Ip);
        }
    }

    [Fact]
    public async Task Pick_ManyTimes_FollowsTheEffectiveWeights()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var a = await client.RegisterAsync("pay", new { ip = "10.0.0.1", port = 80, weight = 1 });
        await client.RegisterAsync("pay", new { ip = "10.0.0.2", port = 80, weight = 1 });
        await client.RegisterAsync("pay", new { ip = "10.0.0.3", port = 80 });
        await client.PutMetadataAsync("pay", new { defaultWeight = 2, instanceWeights = new Dictionary<string, double> { [a.Id] = 5 } });

        var picks = new Dictionary<string, int>();
        for (var i = 0; i < 4000; i++)
        {
            var ip = (await client.GetFromJsonAsync<InstanceInfo>(Api.Instances("pay") + "/pick", Ct))!.Ip;
            picks[ip] = picks.GetValueOrDefault(ip) + 1;
        }

        // Effective weights 5 : 1 : 2 of 8; expected 2500, 500, 1000, binomial sigma at most ~31: ±150 is over 4.8 sigma.
        Assert.InRange(picks["10.0.0.1"], 2350, 2650);
        Assert.InRange(picks["10.0.0.2"], 350, 650);
        Assert.InRange(picks["10.0.0.3"], 850, 1150);
    }

    [Fact]
    public async Task DeletedDocument_NoLongerAffectsWeights()
    {
        await using var app = new RegistryApp();
        using var client = app.CreateClient();
        var a = await client.RegisterAsync("pay", new { ip = "10.0.0.1", port = 80 });
        await client.PutMetadataAsync("pay", new { defaultWeight = 7, instanceWeights = new Dictionary<string, double> { [a.Id] = 0 } });

        (await client.DeleteAsync(MetadataApi.Path("pay"), Ct)).EnsureSuccessStatusCode();

        Assert.Equal(1, Assert.Single((await client.ListAsync("pay")).Instances).EffectiveWeight);
    }
}
