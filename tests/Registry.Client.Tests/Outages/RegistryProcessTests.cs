using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Registry.Client.Discovery;
using Registry.Client.Registration;
using Registry.Contracts.Naming;
using Registry.Server.Tests;

namespace Registry.Client.Tests.Outages;

/// <summary>
/// The client against the real server as a process on loopback: pushes over real connections, a registry
/// killed (SIGKILL) while clients run, and restarted at the same address, with and without its data.
/// </summary>
[Collection(nameof(ServerProcesses))]
public sealed class RegistryProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Resolver_RegistryKilledAndRestarted_ServesTheLastListThenFollowsTheNewOne()
    {
        using var data = new TempDirectory();
        var port = ServerProcess.FreePort();
        var registry = await StartAsync(data, port);
        await RegisterAsync(registry, "pay", "10.0.0.1");
        await using var app = await ClientHost.StartAsync(() => new SocketsHttpHandler(), options =>
        {
            options.Server = registry.Address;
            options.Discovery.PollInterval = TimeSpan.FromSeconds(1);
        });
        var resolver = app.Get<IRegistryResolver>();
        Assert.Single(await resolver.ResolveAsync("pay", Ct));
        await RegisterAsync(registry, "pay", "10.0.0.2");
        await Eventually.MatchesAsync(async () => await resolver.ResolveAsync("pay", Ct), l => l.Count == 2, "pushed");

        await registry.KillAsync();

        Assert.Equal(2, (await resolver.ResolveAsync("pay", Ct)).Count);
        Assert.NotNull(await resolver.PickAsync("pay", cancellationToken: Ct));

        await using var restarted = await StartAsync(data, port);
        await RegisterAsync(restarted, "pay", "10.0.0.3");

        var after = await Eventually.MatchesAsync(async () => await resolver.ResolveAsync("pay", Ct), l => l.Count == 3, "following the restarted registry");
        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], after.Select(i => i.Ip));
        await registry.DisposeAsync();
    }

    [Fact]
    public async Task Registrar_RegistryRestartsWithoutItsData_RegistersAgain()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        var port = ServerProcess.FreePort();
        var registry = await StartAsync(first, port);
        await using var app = await ClientHost.StartAsync(() => new SocketsHttpHandler(), options =>
        {
            options.Server = registry.Address;
            options.Registration.Service = "orders";
            options.Registration.Ip = "10.0.0.5";
            options.Registration.Port = 5000;
        });
        await Eventually.MatchesAsync(() => Task.FromResult(app.Get<InstanceRegistrar>().Registered), i => i is not null, "registered");

        await registry.KillAsync();
        await using var empty = await StartAsync(second, port);

        var listed = await Eventually.MatchesAsync(() => ListAsync(empty, "orders"), l => l.Count == 1, "registered again");
        Assert.Equal("10.0.0.5#5000#DEFAULT", listed[0].Id);
        await registry.DisposeAsync();
    }

    [Fact]
    public async Task Config_RegistryKilledAndRestarted_KeepsTheValuesThenReloads()
    {
        using var data = new TempDirectory();
        var port = ServerProcess.FreePort();
        var registry = await StartAsync(data, port);
        await PublishAsync(registry, """{"greeting":"hello"}""");
        var builder = new ConfigurationBuilder();
        builder.AddRegistryConfig("orders.json", o =>
        {
            o.Server = registry.Address;
            o.MaxReconnectDelay = TimeSpan.FromSeconds(1);
        });
        using var configuration = (ConfigurationRoot)builder.Build();
        Assert.Equal("hello", configuration["greeting"]);

        await registry.KillAsync();

        Assert.Equal("hello", configuration["greeting"]);

        await using var restarted = await StartAsync(data, port);
        await PublishAsync(restarted, """{"greeting":"bonjour"}""");

        await Eventually.MatchesAsync(() => Task.FromResult(configuration["greeting"]), g => g == "bonjour", "reloaded after the restart");
        await registry.DisposeAsync();
    }

    /// <summary>A registry process on <paramref name="port"/> with its data in <paramref name="data"/>, beats every second.</summary>
    internal static Task<ServerProcess> StartAsync(TempDirectory data, int port) =>
        ServerProcess.StartOnPortAsync(data.Path, port, "--Registry:Storage:Path=registry.db", "--Registry:Naming:HeartbeatInterval=00:00:01",
            "--Registry:Limits:RateLimitEnabled=false");

    private static async Task RegisterAsync(ServerProcess registry, string service, string ip)
    {
        using var http = registry.CreateClient();
        using var response = await http.PutAsJsonAsync($"/v1/services/{service}/instances", new { ip, port = 8080 }, Ct);
        response.EnsureSuccessStatusCode();
    }

    private static async Task<IReadOnlyList<InstanceInfo>> ListAsync(ServerProcess registry, string service)
    {
        using var http = registry.CreateClient();
        return (await http.GetFromJsonAsync<InstanceList>($"/v1/services/{service}/instances", Ct))!.Instances;
    }

    private static async Task PublishAsync(ServerProcess registry, string json)
    {
        using var http = registry.CreateClient();
        using var body = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PutAsync("/v1/configs/orders.json", body, Ct);
        response.EnsureSuccessStatusCode();
    }
}
