using Registry.Client;
using Registry.Client.Configuration;

// Beside the platform's own AddJsonFile and friends.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.Configuration;
#pragma warning restore IDE0130

/// <summary>Adds config items of the registry to an application's configuration.</summary>
public static class RegistryConfigurationExtensions
{
    /// <summary>
    /// Adds the config item <paramref name="dataId"/> (json, yaml or properties) as configuration keys, reloaded
    /// live when a new version is published; the last good values stay when the registry is unreachable or a
    /// bad document is published. The server, token, namespace, group, labels and client id default to
    /// <c>Registry:Client</c> of the configuration built so far. During a gray release of the item, the application gets
    /// the version meant for it by its labels, id and address.
    /// </summary>
    public static IConfigurationBuilder AddRegistryConfig(
        this IConfigurationBuilder builder, string dataId, Action<RegistryConfigOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataId);
        var options = new RegistryConfigOptions();
        if (builder is IConfiguration built && built.GetSection(RegistryClientOptions.Section) is { } client)
        {
            options.Server = client["Server"] is { } server ? new Uri(server) : options.Server;
            options.Servers = [.. client.GetSection("Servers").GetChildren().Select(static node => node.Value).OfType<string>().Select(static node => new Uri(node))];
            options.Token = client["Token"] ?? options.Token;
            options.Namespace = client["Namespace"] ?? options.Namespace;
            options.Group = client["Group"] ?? options.Group;
            options.ClientId = client["ClientId"] ?? options.ClientId;
            foreach (var label in client.GetSection("Labels").GetChildren().Where(static label => label.Value is not null))
            {
                options.Labels[label.Key] = label.Value!;
            }
        }

        configure?.Invoke(options);
        return builder.Add(new RegistryConfigurationSource(dataId, options));
    }
}
