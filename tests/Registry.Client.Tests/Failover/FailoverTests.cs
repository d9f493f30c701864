using Microsoft.Extensions.Configuration;
using Registry.Client.Configuration;
using Registry.Client.Discovery;
using Registry.Client.Registration;

namespace Registry.Client.Tests.Failover;

/// <summary>A client given the nodes of a cluster talks to the one that answers, and moves on when it stops answering.</summary>
public sealed class FailoverTests
{
    private static readonly Uri First = new("http://node-1.test");
    private static readonly Uri Second = new("http://node-2.test");

    [Fact]
    public async Task Register_FirstServerUnreachable_RegistersAtTheNextAndResolvesThere()
    {
        await using var second = new RegistryServer();
        var router = () => new HostRouter(new Dictionary<string, HttpMessageHandler> { [Second.Host] = second.Handler() });
        await using var app = await ClientHost.StartAsync(router, options =>
        {
            options.Servers = [First, Second];
            options.Registration.Service = "orders";
            options.Registration.Ip = "10.0.0.5";
            options.Registration.Port = 5000;
        });

        await Eventually.MatchesAsync(() => Task.FromResult(app.Get<InstanceRegistrar>().Registered), static i => i is not null, "registered");
        Assert.Single(await second.ListAsync("orders"));
        var resolved = await app.Get<IRegistryResolver>().ResolveAsync("orders", TestContext.Current.CancellationToken);
        Assert.Equal("10.0.0.5", Assert.Single(resolved).Ip);
    }

    [Fact]
    public async Task Beat_ServerGoesDown_MovesToTheNextServer()
    {
        await using var first = new RegistryServer();
        await using var second = new RegistryServer();
        var outage = new OutageHandler(first.Handler);
        var router = () => new HostRouter(new Dictionary<string, HttpMessageHandler> { [First.Host] = outage, [Second.Host] = second.Handler() });
        await using var app = await ClientHost.StartAsync(router, options =>
        {
            options.Servers = [First, Second];
            options.Registration.Service = "orders";
            options.Registration.Ip = "10.0.0.5";
            options.Registration.Port = 5000;
        });
        await Eventually.MatchesAsync(() => first.ListAsync("orders"), static l => l.Count == 1, "registered at the first server");

        outage.Down = true;

        // The next server answers the beat (it does not know the instance: the client registers it there).
        var moved = await Eventually.MatchesAsync(() => second.ListAsync("orders"), static l => l.Count == 1, "registered at the second server");
        Assert.Equal("10.0.0.5", moved[0].Ip);
    }

    [Fact]
    public async Task AddRegistryConfig_FirstServerUnreachable_LoadsFromTheNext()
    {
        await using var second = new RegistryServer();
        await second.PublishAsync("orders.json", """{"Orders":{"Greeting":"hello"}}""");
        var builder = new ConfigurationBuilder();
        builder.AddRegistryConfig("orders.json", options =>
        {
            options.Servers = [First, Second];
            options.CreateHandler = () => new HostRouter(new Dictionary<string, HttpMessageHandler> { [Second.Host] = second.Handler() });
        });

        using var configuration = (ConfigurationRoot)builder.Build();

        Assert.Equal("hello", configuration["Orders:Greeting"]);
    }

    [Fact]
    public void AddRegistryConfig_ServersInConfiguration_AreTakenFromRegistryClient()
    {
        var builder = new ConfigurationManager();
        builder.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Registry:Client:Servers:0"] = First.ToString(),
            ["Registry:Client:Servers:1"] = Second.ToString(),
        });
        RegistryConfigOptions? seen = null;

        builder.AddRegistryConfig("orders.json", options =>
        {
            // Nothing answers at those names: only the options are looked at.
            options.Optional = true;
            options.ReloadOnChange = false;
            seen = options;
        });

        Assert.Equal([First, Second], seen!.Servers);
    }
}
