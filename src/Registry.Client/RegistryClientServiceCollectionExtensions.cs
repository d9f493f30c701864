using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;
using Polly;
using Registry.Client;
using Registry.Client.Discovery;
using Registry.Client.Http;
using Registry.Client.Registration;
using Registry.Client.Telemetry;

// The extension methods live in the namespace of IServiceCollection, as the platform's own do.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Adds Registry to a .NET host.</summary>
public static class RegistryClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Registry client: self-registration with heartbeats when <see cref="RegistrationOptions.Service"/>
    /// is set, and <see cref="IRegistryResolver"/>. Options bind from <c>Registry:Client</c> of the
    /// configuration, then <paramref name="configure"/> runs. Calls to the registry retry transient failures
    /// with backoff (a retry and timeouts of Microsoft.Extensions.Http.Resilience), without logging each attempt.
    /// </summary>
    public static IServiceCollection AddRegistryClient(this IServiceCollection services, Action<RegistryClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RegistryClientOptions>()
            .Configure<IConfiguration>((options, configuration) => configuration.GetSection(RegistryClientOptions.Section).Bind(options))
            .Configure(options => configure?.Invoke(options))
            .Validate(static options => options.Server.IsAbsoluteUri, "Registry:Client:Server must be an absolute URI.")
            .Validate(static options => options.Servers.All(static server => server.IsAbsoluteUri), "Every Registry:Client:Servers entry must be an absolute URI.")
            .Validate(static options => options.Discovery.PollInterval > TimeSpan.Zero, "Registry:Client:Discovery:PollInterval must be positive.");
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddTransient<BearerTokenHandler>();
        services.TryAddSingleton(static provider =>
        {
            var options = provider.GetRequiredService<IOptions<RegistryClientOptions>>().Value;
            return new ServerList(options.Server, options.Servers);
        });
        services.TryAddTransient<FailoverHandler>();
        services.TryAddSingleton<RegistryReachability>();
        services.TryAddTransient<ReachabilityHandler>();

        // Quiet by default: the client logs what changes (RegistryReachability and its own events), so neither
        // HttpClient's lines per request nor Polly's per attempt repeat at every beat and retry. Failover is inside
        // the retries: a retry goes to the node that is current by then.
        services.AddHttpClient(nameof(RegistryApi), ConfigureBaseAddress)
            .RemoveAllLoggers()
            .AddHttpMessageHandler<ReachabilityHandler>()
            .AddHttpMessageHandler<BearerTokenHandler>()
            .AddResilienceHandler(RegistryClientMetrics.Name, static pipeline => pipeline
                .AddTimeout(TimeSpan.FromSeconds(30))
                .AddRetry(new HttpRetryStrategyOptions())
                .AddTimeout(TimeSpan.FromSeconds(10))
                .ConfigureTelemetry(NullLoggerFactory.Instance));
        services.AddHttpClient(nameof(RegistryApi)).AddHttpMessageHandler<FailoverHandler>();
        services.AddHttpClient(EventStream.HttpClientName, (provider, http) =>
            {
                ConfigureBaseAddress(provider, http);
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .RemoveAllLoggers()
            .AddHttpMessageHandler<ReachabilityHandler>()
            .AddHttpMessageHandler<BearerTokenHandler>()
            .AddHttpMessageHandler<FailoverHandler>();

        services.TryAddSingleton<RegistryResolver>();
        services.TryAddSingleton<IRegistryResolver>(static provider => provider.GetRequiredService<RegistryResolver>());
        services.TryAddSingleton<InstanceRegistrar>();
        services.AddHostedService(static provider => provider.GetRequiredService<InstanceRegistrar>());
        if (!services.Any(static d => d.ServiceType == typeof(ConfigurationFreshness)))
        {
            services.AddSingleton<ConfigurationFreshness>();
            services.AddHostedService(static provider => provider.GetRequiredService<ConfigurationFreshness>());
        }
        return services;
    }

    /// <summary>
    /// Lets <c>HttpClient</c>s with service discovery (<c>AddServiceDiscovery()</c>) resolve
    /// <c>http://orders</c> through Registry: every healthy instance of <c>orders</c> is an endpoint,
    /// repeated in proportion to its weight, and the list follows the registry's watch. Calls
    /// <see cref="AddRegistryClient"/> when it was not.
    /// </summary>
    public static IServiceCollection AddRegistryServiceEndpointProvider(this IServiceCollection services, Action<RegistryClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(static d => d.ServiceType == typeof(RegistryResolver)))
        {
            services.AddRegistryClient(configure);
        }
        else if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddServiceDiscoveryCore();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceEndpointProviderFactory, RegistryServiceEndpointProviderFactory>());
        return services;
    }

    private static void ConfigureBaseAddress(IServiceProvider provider, HttpClient http) =>
        http.BaseAddress = provider.GetRequiredService<ServerList>().First;
}
