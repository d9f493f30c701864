using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Registry.Client.Tests.Hosting;

/// <summary>The client set up from the connection string an orchestrator gives the app (Aspire's WithReference).</summary>
public sealed class ConnectionStringTests
{
    private static RegistryClientOptions OptionsFrom(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddRegistryClient("registry");
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<RegistryClientOptions>>().Value;
    }

    [Fact]
    public void AddRegistryClient_EndpointAndToken_AreTheServerAndTheToken()
    {
        var options = OptionsFrom(("ConnectionStrings:registry", "Endpoint=http://registry.test:8848;Token=s3cret"), ("Registry:Client:Group", "shop"));

        Assert.Equal((new Uri("http://registry.test:8848"), "s3cret", "shop"), (options.Server, options.Token, options.Group));
    }

    [Fact]
    public void AddRegistryClient_BareUrl_IsTheServerAndTheTokenComesFromRegistryClient()
    {
        var options = OptionsFrom(("ConnectionStrings:registry", "http://registry.test:8848"), ("Registry:Client:Token", "configured"));

        Assert.Equal((new Uri("http://registry.test:8848"), "configured"), (options.Server, options.Token));
    }

    [Theory]
    [InlineData(null, "is missing")]
    [InlineData("Token=s3cret", "has no Endpoint")]
    [InlineData("Endpoint=not a url", "has no Endpoint")]
    public void AddRegistryClient_NoUsableEndpoint_FailsSayingWhat(string? connection, string message)
    {
        var builder = Host.CreateApplicationBuilder();
        if (connection is not null)
        {
            builder.Configuration["ConnectionStrings:registry"] = connection;
        }

        var failure = Assert.Throws<InvalidOperationException>(() => builder.AddRegistryClient("registry"));

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }
}
