using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Registry.Client;

// Beside the platform's own host builder extensions, as Aspire's client integrations are.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.Hosting;
#pragma warning restore IDE0130

/// <summary>Adds Registry to a host from the connection string an orchestrator (Aspire) gives it.</summary>
public static class RegistryClientHostBuilderExtensions
{
    /// <summary>
    /// <see cref="Microsoft.Extensions.DependencyInjection.RegistryClientServiceCollectionExtensions.AddRegistryClient"/>
    /// with the registry's address and token from the connection string <paramref name="connectionName"/>
    /// (<c>ConnectionStrings:registry</c>): <c>Endpoint=http://host:port;Token=secret</c>, or a bare URL. What the
    /// connection string leaves out comes from <c>Registry:Client</c>, then <paramref name="configure"/> runs.
    /// </summary>
    public static IHostApplicationBuilder AddRegistryClient(
        this IHostApplicationBuilder builder, string connectionName, Action<RegistryClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        var connection = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException(
                $"The connection string '{connectionName}' is missing: set ConnectionStrings:{connectionName} (Aspire's WithReference does).");
        var (endpoint, token) = Parse(connectionName, connection);
        Microsoft.Extensions.DependencyInjection.RegistryClientServiceCollectionExtensions.AddRegistryClient(builder.Services, options =>
        {
            options.Server = endpoint;
            options.Token = token ?? options.Token;
            configure?.Invoke(options);
        });
        return builder;
    }

    internal static (Uri Endpoint, string? Token) Parse(string connectionName, string connection)
    {
        if (Uri.TryCreate(connection, UriKind.Absolute, out var bare) && bare.Scheme is "http" or "https")
        {
            return (bare, null);
        }

        var parts = new DbConnectionStringBuilder { ConnectionString = connection };
        if (!parts.TryGetValue("Endpoint", out var value) || !Uri.TryCreate(value as string, UriKind.Absolute, out var endpoint))
        {
            throw new InvalidOperationException(
                $"The connection string '{connectionName}' has no Endpoint=<absolute URL> (it reads 'Endpoint=http://host:port;Token=…').");
        }

        return (endpoint, parts.TryGetValue("Token", out var token) && token is string { Length: > 0 } secret ? secret : null);
    }
}
