using System.Net;
using System.Net.Http.Headers;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Registry.Server.Tests;
using TempDirectory = Registry.Server.Tests.TempDirectory;

namespace Registry.Client.Tests.Hosting;

/// <summary>
/// The Aspire hosting integration's application model (no orchestrator runs here: the resource is a container), and
/// the settings it gives the server, checked against a real server process: the token it hands the apps opens it.
/// </summary>
[Collection(nameof(ServerProcesses))]
public sealed class AspireHostingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddRegistry_Defaults_RunTheServerImageWithAuthAnAdminTokenAndAReadinessCheck()
    {
        var builder = DistributedApplication.CreateBuilder();

        var registry = builder.AddRegistry("registry", port: 18848).WithDataVolume();

        var resource = registry.Resource;
        var image = resource.Annotations.OfType<ContainerImageAnnotation>().Single();
        Assert.Equal((RegistryBuilderExtensions.DefaultImage, RegistryBuilderExtensions.DefaultTag), (image.Image, image.Tag));
        var endpoint = resource.Annotations.OfType<EndpointAnnotation>().Single();
        Assert.Equal(("http", 18848, 8848), (endpoint.Name, endpoint.Port, endpoint.TargetPort));
        Assert.Equal("/data", resource.Annotations.OfType<ContainerMountAnnotation>().Single().Target);
        Assert.Contains(resource.Annotations.OfType<HealthCheckAnnotation>(), _ => true);
        var environment = await EnvironmentAsync(resource);
        var token = await resource.Token.GetValueAsync(Ct);
        Assert.False(string.IsNullOrEmpty(token));
        Assert.Equal("true", environment["Registry__Auth__Enabled"]);
        Assert.Equal(RegistryBuilderExtensions.Hash(token!), environment["Registry__Auth__Tokens__0__Hash"]);
    }

    [Fact]
    public async Task ConnectionString_ReadByTheClientIntegration_IsTheEndpointAndTheToken()
    {
        var builder = DistributedApplication.CreateBuilder();
        var registry = builder.AddRegistry("registry").Resource;
        var endpoint = registry.Annotations.OfType<EndpointAnnotation>().Single();
        endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "localhost", 40123);

        var connection = await registry.ConnectionStringExpression.GetValueAsync(Ct);

        var app = Host.CreateApplicationBuilder();
        app.Configuration["ConnectionStrings:registry"] = connection;
        app.AddRegistryClient("registry");
        using var host = app.Build();
        var options = host.Services.GetRequiredService<IOptions<RegistryClientOptions>>().Value;
        Assert.Equal((new Uri("http://localhost:40123"), await registry.Token.GetValueAsync(Ct)), (options.Server, options.Token));
    }

    [Fact]
    public async Task Settings_GivenToARealServer_LetTheAppsTokenInAsAdminAndNoOneElse()
    {
        var builder = DistributedApplication.CreateBuilder();
        var registry = builder.AddRegistry("registry").Resource;
        var arguments = (await EnvironmentAsync(registry))
            .Where(e => e.Key.StartsWith("Registry__", StringComparison.Ordinal))
            .Select(e => $"--{e.Key.Replace("__", ":", StringComparison.Ordinal)}={e.Value}")
            .ToArray();
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, [.. arguments, "--Registry:Storage:Path=registry.db"]);
        using var http = server.CreateClient();

        using var anonymous = await http.PutAsync(new Uri("/v1/namespaces/aspire", UriKind.Relative), null, Ct);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await registry.Token.GetValueAsync(Ct));
        using var admin = await http.PutAsync(new Uri("/v1/namespaces/aspire", UriKind.Relative), null, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.True(admin.IsSuccessStatusCode, $"{(int)admin.StatusCode}");
    }

    private static async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(RegistryResource resource)
    {
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run));
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables.ToDictionary(e => e.Key, e => e.Value switch
        {
            string text => text,
            IValueProvider provider => provider.GetValueAsync(Ct).AsTask().GetAwaiter().GetResult() ?? "",
            var other => other.ToString() ?? "",
        });
    }
}
