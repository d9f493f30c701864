using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Registry.Client.Registration;

namespace Registry.Client.Tests.Registration;

public sealed class InstanceRegistrarTests
{
    [Fact]
    public async Task Start_ServiceConfigured_RegistersWithItsOptionsAndDeregistersOnStop()
    {
        await using var server = new RegistryServer();
        var app = await ClientHost.StartAsync(server.Handler, options =>
        {
            AsOrders(options);
            options.Registration.Weight = 2;
            options.Registration.Metadata["version"] = "1.2";
        });

        var registered = await Eventually.MatchesAsync(
            () => Task.FromResult(app.Get<InstanceRegistrar>().Registered), i => i is not null, "registered");
        var instance = Assert.Single(await server.ListAsync("orders"));
        Assert.Equal(("10.0.0.5", 5000, 2.0, "1.2"), (instance.Ip, instance.Port, instance.Weight, instance.Metadata["version"]));
        Assert.Equal(instance.Id, registered!.Id);

        await app.DisposeAsync();

        Assert.Empty(await server.ListAsync("orders"));
    }

    [Fact]
    public async Task Beat_RegistryNoLongerKnowsTheInstance_RegistersAgain()
    {
        await using var server = new RegistryServer();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await ClientHost.StartAsync(server.Handler, AsOrders, time);
        var first = (await Eventually.MatchesAsync(() => server.ListAsync("orders"), l => l.Count == 1, "registered"))[0];

        // What an eviction or a registry restart without the instance looks like to the client.
        await server.DeregisterAsync("orders", first.Id);
        var again = await Eventually.MatchesAsync(async () =>
        {
            time.Advance(TimeSpan.FromMilliseconds(first.HeartbeatIntervalMs));
            return await server.ListAsync("orders");
        }, l => l.Count == 1, "registered again");

        Assert.Equal(first.Id, again[0].Id);
        Assert.True(again[0].Revision > first.Revision);
    }

    [Fact]
    public async Task Register_RequestsTimeOut_RetriesUntilRegisteredAndTheAppKeepsRunning()
    {
        await using var server = new RegistryServer();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var timeouts = new TimingOutHandler(server.Handler(), times: 3);
        await using var app = await ClientHost.StartAsync(() => timeouts, AsOrders, time);

        var registered = await Eventually.MatchesAsync(async () =>
        {
            time.Advance(TimeSpan.FromSeconds(5));
            return await server.ListAsync("orders");
        }, l => l.Count == 1, "registered after the timeouts");

        Assert.Single(registered);
        Assert.False(app.Get<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
    }

    [Fact]
    public async Task Beat_RequestTimesOut_TheNextBeatsGoOn()
    {
        await using var server = new RegistryServer();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var timeouts = new TimingOutHandler(server.Handler(), times: 0);
        await using var app = await ClientHost.StartAsync(() => timeouts, AsOrders, time);
        var registered = (await Eventually.MatchesAsync(() => server.ListAsync("orders"), l => l.Count == 1, "registered"))[0];

        timeouts.TimeOut(times: 5);
        var beaten = await Eventually.MatchesAsync(async () =>
        {
            time.Advance(TimeSpan.FromMilliseconds(registered.HeartbeatIntervalMs));
            return await server.InstanceAsync("orders", registered.Id);
        }, i => i.LastHeartbeatAt > registered.RegisteredAt && timeouts.Left == 0, "beating after the timeouts");

        Assert.Equal(registered.Id, beaten.Id);
        Assert.False(app.Get<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
    }

    /// <summary>Fails the next calls as an HttpClient timeout does (a cancellation nobody asked for), then passes them on.</summary>
    private sealed class TimingOutHandler(HttpMessageHandler inner, int times) : DelegatingHandler(inner)
    {
        private int _left = times;

        public int Left => Volatile.Read(ref _left);

        public void TimeOut(int times) => Volatile.Write(ref _left, times);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.Decrement(ref _left) >= 0
                ? throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.",
                    new TimeoutException())
                : base.SendAsync(request, cancellationToken);
    }

    [Fact]
    public async Task Beat_IntervalPasses_RenewsTheLease()
    {
        await using var server = new RegistryServer();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await ClientHost.StartAsync(server.Handler, AsOrders, time);
        var registered = (await Eventually.MatchesAsync(() => server.ListAsync("orders"), l => l.Count == 1, "registered"))[0];

        var beaten = await Eventually.MatchesAsync(async () =>
        {
            time.Advance(TimeSpan.FromMilliseconds(registered.HeartbeatIntervalMs));
            return await server.InstanceAsync("orders", registered.Id);
        }, i => i.LastHeartbeatAt > registered.RegisteredAt, "beaten");

        Assert.Equal(registered.Revision, beaten.Revision);
    }

    [Fact]
    public async Task Register_AuthOnWithAToken_SendsIt()
    {
        await using var server = WithToken("orders-app", "orders-secret", "register", "read");
        await using var app = await ClientHost.StartAsync(server.Handler, options =>
        {
            options.Token = "orders-secret";
            AsOrders(options);
        });

        var registered = await Eventually.MatchesAsync(
            () => Task.FromResult(app.Get<InstanceRegistrar>().Registered), i => i is not null, "registered");

        Assert.Equal("orders", registered!.Service);
    }

    [Fact]
    public async Task Register_TokenWithoutTheRole_StopsRegisteringAndTheAppKeepsRunning()
    {
        await using var server = WithToken("reader", "reader-secret", "read");
        await using var app = await ClientHost.StartAsync(server.Handler, options =>
        {
            options.Token = "reader-secret";
            AsOrders(options);
        });
        var registrar = app.Get<InstanceRegistrar>();

        await Eventually.MatchesAsync(() => Task.FromResult(registrar.ExecuteTask!.IsCompleted), done => done, "given up");

        Assert.True(registrar.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Null(registrar.Registered);
        Assert.False(app.Get<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
    }

    [Fact]
    public async Task Start_NoServiceConfigured_RegistersNothing()
    {
        await using var server = new RegistryServer();
        await using var app = await ClientHost.StartAsync(server.Handler, _ => { });

        Assert.Null(app.Get<InstanceRegistrar>().Registered);
        Assert.Empty((await server.TreeServicesAsync()));
    }

    /// <summary>The instance most tests register: orders at 10.0.0.5:5000.</summary>
    private static void AsOrders(RegistryClientOptions options)
    {
        options.Registration.Service = "orders";
        options.Registration.Ip = "10.0.0.5";
        options.Registration.Port = 5000;
    }

    /// <summary>A server with auth on and one token for every namespace.</summary>
    private static RegistryServer WithToken(string name, string secret, params string[] roles)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Registry:Auth:Enabled"] = "true",
            ["Registry:Auth:Tokens:0:Name"] = name,
            ["Registry:Auth:Tokens:0:Hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))),
            ["Registry:Auth:Tokens:0:Namespaces:0"] = "*",
        };
        for (var i = 0; i < roles.Length; i++)
        {
            settings[$"Registry:Auth:Tokens:0:Roles:{i}"] = roles[i];
        }

        return new RegistryServer(settings);
    }
}
