using System.Net;
using Registry.Server.Infrastructure;

namespace Registry.Server.Security;

/// <summary>
/// A server without auth answers anyone who can reach it, so it listens on loopback only unless the operator
/// opts out explicitly (<c>Registry:Auth:AllowAnonymousOnNetwork</c>), which is logged at every start.
/// </summary>
internal static partial class BindingPolicy
{
    /// <summary>Throws when the configured addresses reach beyond loopback without auth or an explicit opt-out.</summary>
    public static void Enforce(IConfiguration configuration)
    {
        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var exposed = NetworkAddresses(configuration).ToList();
        if (exposed.Count > 0 && !auth.Enabled && !auth.AllowAnonymousOnNetwork)
        {
            throw new StartupException(
                $"Refusing to listen on {string.Join(", ", exposed)} without auth. Turn auth on (Registry:Auth:Enabled=true), "
                + "listen on loopback only, or accept anonymous access from the network with Registry:Auth:AllowAnonymousOnNetwork=true.");
        }
    }

    /// <summary>The configured listen addresses that are not loopback.</summary>
    public static IEnumerable<string> NetworkAddresses(IConfiguration configuration)
    {
        var urls = (configuration["urls"] ?? DefaultUrl.Value)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(endpoint => endpoint["Url"] ?? ""));
        foreach (var url in urls.Where(url => url.Length > 0 && !IsLoopback(url)))
        {
            yield return url;
        }

        if (!string.IsNullOrEmpty(configuration["http_ports"]) || !string.IsNullOrEmpty(configuration["https_ports"]))
        {
            yield return "every interface (http_ports)";
        }
    }

    private static bool IsLoopback(string url)
    {
        var host = url.Split("://", 2)[^1].Split('/')[0];
        host = host.StartsWith('[') ? host[1..host.IndexOf(']', StringComparison.Ordinal)] : host.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }
}

/// <summary>Warns at every start when anonymous access from the network was allowed.</summary>
internal sealed partial class AnonymousNetworkWarning(
    IConfiguration configuration, Microsoft.Extensions.Options.IOptions<AuthOptions> options, ILogger<AnonymousNetworkWarning> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var exposed = BindingPolicy.NetworkAddresses(configuration).ToList();
        if (!options.Value.Enabled && exposed.Count > 0)
        {
            LogAnonymousOnNetwork(string.Join(", ", exposed));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning,
        Message = "Auth is off and the server listens on {Addresses}: anyone who can reach it may read and change everything")]
    private partial void LogAnonymousOnNetwork(string addresses);
}
