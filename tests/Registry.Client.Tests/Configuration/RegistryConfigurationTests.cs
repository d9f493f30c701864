using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Registry.Client.Configuration;

namespace Registry.Client.Tests.Configuration;

public sealed class RegistryConfigurationTests
{
    [Fact]
    public async Task AddRegistryConfig_PublishedJson_LoadsAndReloadsWhenANewVersionIsPublished()
    {
        await using var server = new RegistryServer();
        await server.PublishAsync("orders.json", """{"Orders":{"Greeting":"hello","Discount":0.1,"Regions":["eu","us"]}}""");
        using var configuration = Build(server, "orders.json");
        using var services = new ServiceCollection().Configure<OrdersSettings>(configuration.GetSection("Orders")).BuildServiceProvider();
        var settings = services.GetRequiredService<IOptionsMonitor<OrdersSettings>>();
        Assert.Equal(("hello", 0.1m, "us"), (settings.CurrentValue.Greeting, settings.CurrentValue.Discount, configuration["Orders:Regions:1"]));

        await server.PublishAsync("orders.json", """{"Orders":{"Greeting":"bonjour","Discount":0.2}}""");

        await Eventually.MatchesAsync(() => Task.FromResult(settings.CurrentValue.Greeting), g => g == "bonjour", "reloaded");
        Assert.Equal(0.2m, settings.CurrentValue.Discount);
        Assert.Null(configuration["Orders:Regions:1"]);
    }

    [Fact]
    public async Task AddRegistryConfig_BadDocumentPublished_KeepsTheLastGoodValues()
    {
        await using var server = new RegistryServer();
        await server.PublishAsync("orders.yaml", "orders:\n  greeting: hello\n", "application/yaml");
        using var configuration = Build(server, "orders.yaml");
        var provider = Provider(configuration);

        // The registry accepts text for a data id it cannot check; the client must refuse it as configuration.
        await server.PublishAsync("orders.yaml?format=text", "orders: [unclosed", "text/plain");
        await Eventually.MatchesAsync(() => Task.FromResult(provider.LastError), e => e is not null, "refused");

        Assert.Equal("hello", configuration["orders:greeting"]);
        Assert.Equal(1, provider.Version);
    }

    [Fact]
    public async Task AddRegistryConfig_Properties_BecomeSectionsByTheirDots()
    {
        await using var server = new RegistryServer();
        await server.PublishAsync("orders.properties?format=properties", "orders.greeting=hello\norders.limits.max=5\n", "text/plain");

        using var configuration = Build(server, "orders.properties");

        Assert.Equal(("hello", "5"), (configuration["orders:greeting"], configuration["orders:limits:max"]));
    }

    [Fact]
    public async Task AddRegistryConfig_NotPublishedYet_IsEmptyUntilItIs()
    {
        await using var server = new RegistryServer();
        using var configuration = Build(server, "later.json");
        Assert.Null(configuration["feature"]);

        await server.PublishAsync("later.json", """{"feature":"on"}""");

        await Eventually.MatchesAsync(() => Task.FromResult(configuration["feature"]), v => v == "on", "arrived");
    }

    [Fact]
    public void AddRegistryConfig_RegistryUnreachable_FailsTheStartUnlessOptional()
    {
        var unreachable = new ConfigurationBuilder();
        unreachable.AddRegistryConfig("orders.json", o =>
        {
            o.CreateHandler = () => new OutageHandler(null);
            o.ReloadOnChange = false;
        });
        var optional = new ConfigurationBuilder();
        optional.AddRegistryConfig("orders.json", o =>
        {
            o.CreateHandler = () => new OutageHandler(null);
            o.Optional = true;
            o.ReloadOnChange = false;
        });

        var failure = Assert.Throws<InvalidOperationException>(() => unreachable.Build());
        using var started = (IDisposable)optional.Build();

        Assert.Contains("orders.json", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddRegistryConfig_RegistryGoesAway_KeepsTheValues()
    {
        await using var server = new RegistryServer();
        await server.PublishAsync("orders.json", """{"greeting":"hello"}""");
        var transport = new OutageHandler(server.Handler);
        var builder = new ConfigurationBuilder();
        builder.AddRegistryConfig("orders.json", o => o.CreateHandler = () => transport);
        using var configuration = (ConfigurationRoot)builder.Build();

        transport.Down = true;
        await server.PublishAsync("orders.json", """{"greeting":"bonjour"}""");

        Assert.Equal("hello", configuration["greeting"]);
        transport.Down = false;
        await Eventually.MatchesAsync(() => Task.FromResult(configuration["greeting"]), g => g == "bonjour", "caught up");
    }

    [Fact]
    public void AddRegistryConfig_ClientSectionConfiguredEarlier_GivesTheDefaults()
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Registry:Client:Server"] = "http://registry.example:8848",
            ["Registry:Client:Token"] = "t",
            ["Registry:Client:Namespace"] = "prod",
            ["Registry:Client:Group"] = "shop",
        });
        RegistryConfigOptions? seen = null;

        configuration.AddRegistryConfig("orders.json", o =>
        {
            seen = o;
            o.Optional = true;
            o.ReloadOnChange = false;
            o.CreateHandler = () => new OutageHandler(null);
        });

        Assert.Equal((new Uri("http://registry.example:8848"), "t", "prod", "shop"), (seen!.Server, seen.Token, seen.Namespace, seen.Group));
    }

    [Fact]
    public async Task AddRegistryConfig_LabelsOfAGrayRelease_GetTheGrayVersionAndFollowItsEnd()
    {
        await using var server = new RegistryServer();
        await server.PublishAsync("orders.json", """{"mode":"old"}""");
        using var admin = server.Client();
        using var gray = await admin.PutAsJsonAsync(
            "/v1/configs/orders.json/gray", new { content = """{"mode":"new"}""", rule = new { labels = new { canary = "true" } } },
            TestContext.Current.CancellationToken);
        gray.EnsureSuccessStatusCode();
        // As an application's builder: the labels and the id come from its Registry:Client section.
        using var canary = new ConfigurationManager();
        canary.AddInMemoryCollection(new Dictionary<string, string?> { ["Registry:Client:Labels:canary"] = "true", ["Registry:Client:ClientId"] = "pod-7" });
        canary.AddRegistryConfig("orders.json", o => o.CreateHandler = server.Handler);
        using var plain = Build(server, "orders.json");
        Assert.Equal(("new", "old"), (canary["mode"], plain["mode"]));

        using var aborted = await admin.DeleteAsync("/v1/configs/orders.json/gray", TestContext.Current.CancellationToken);
        aborted.EnsureSuccessStatusCode();

        await Eventually.MatchesAsync(() => Task.FromResult(canary["mode"]), mode => mode == "old", "fell back");
        var clients = await admin.GetStringAsync("/v1/configs/orders.json/clients", TestContext.Current.CancellationToken);
        Assert.Contains("\"id\":\"pod-7\"", clients, StringComparison.Ordinal);
    }

    private static ConfigurationRoot Build(RegistryServer server, string dataId)
    {
        var builder = new ConfigurationBuilder();
        builder.AddRegistryConfig(dataId, o => o.CreateHandler = server.Handler);
        return (ConfigurationRoot)builder.Build();
    }

    private static RegistryConfigurationProvider Provider(ConfigurationRoot configuration) =>
        configuration.Providers.OfType<RegistryConfigurationProvider>().Single();

    private sealed class OrdersSettings
    {
        public string? Greeting { get; set; }

        public decimal Discount { get; set; }
    }
}
