using System.Security.Cryptography;
using System.Text;
using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Adds a Registry server to an Aspire AppHost.</summary>
public static class RegistryBuilderExtensions
{
    /// <summary>The image the server runs from: the one <c>src/Registry.Server/Dockerfile</c> builds.</summary>
    public const string DefaultImage = "registry-server";

    /// <summary>The image tag.</summary>
    public const string DefaultTag = "latest";

    /// <summary>
    /// Adds a Registry server, with auth on and an admin token (a secret parameter, <paramref name="token"/> or one
    /// generated and kept by the AppHost): the server is given its SHA-256, the apps that reference it the token and
    /// the address (<c>ConnectionStrings:{name}</c>). Ready once <c>/readyz</c> answers.
    /// </summary>
    public static IResourceBuilder<RegistryResource> AddRegistry(
        this IDistributedApplicationBuilder builder, string name, int? port = null, IResourceBuilder<ParameterResource>? token = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var secret = token?.Resource ?? ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-token", special: false);
        return builder.AddResource(new RegistryResource(name, secret))
            .WithImage(DefaultImage, DefaultTag)
            .WithHttpEndpoint(port: port, targetPort: RegistryResource.TargetPort, name: RegistryResource.HttpEndpointName)
            .WithEnvironment("ASPNETCORE_URLS", "http://0.0.0.0:8848")
            .WithEnvironment("Registry__Auth__Enabled", "true")
            .WithEnvironment("Registry__Auth__Tokens__0__Name", "aspire")
            .WithEnvironment("Registry__Auth__Tokens__0__Roles__0", "admin")
            .WithEnvironment(async context =>
                context.EnvironmentVariables["Registry__Auth__Tokens__0__Hash"] = Hash(await secret.GetValueAsync(context.CancellationToken).ConfigureAwait(false) ?? ""))
            .WithHttpHealthCheck("/readyz");
    }

    /// <summary>Keeps the server's data in a named volume (<paramref name="name"/>, else one named after the resource).</summary>
    public static IResourceBuilder<RegistryResource> WithDataVolume(this IResourceBuilder<RegistryResource> builder, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithVolume(name ?? VolumeNameGenerator.Generate(builder, "data"), "/data");
    }

    /// <summary>The lower-case hex SHA-256 the server's configured tokens are given by (what <c>hash-token</c> prints).</summary>
    internal static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
