using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Registry.Contracts;
using Registry.Server.Audit;
using Registry.Server.Compat.Eureka;
using Registry.Server.Config;
using Registry.Server.Events;
using Registry.Server.Health;
using Registry.Server.Metrics;
using Registry.Server.Naming;
using Registry.Server.Security;
using Registry.Server.Storage;

namespace Registry.Server.Infrastructure;

internal static class RegistryServices
{
    /// <summary>The address the server listens on when none is configured: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8848";

    /// <summary>Listens on <see cref="DefaultUrl"/> unless --urls, ASPNETCORE_URLS or Kestrel endpoints say otherwise.</summary>
    public static void UseDefaultUrl(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var configured = !string.IsNullOrEmpty(configuration["urls"])
            || !string.IsNullOrEmpty(configuration["http_ports"])
            || !string.IsNullOrEmpty(configuration["https_ports"])
            || configuration.GetSection("Kestrel:Endpoints").Exists();
        if (!configured)
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
    }

    public static IServiceCollection AddRegistry(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        // Messages name fields as clients write them: 'port', not 'Port'.
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : Problems.MemberFieldName(member.Name);
        services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddValidatedOptions<StorageOptions>(StorageOptions.Section);
        services.AddValidatedOptions<NamingOptions>(NamingOptions.Section);
        services.AddValidatedOptions<ConfigOptions>(ConfigOptions.Section);
        services.AddValidatedOptions<EventOptions>(EventOptions.Section);
        services.AddValidatedOptions<AuthOptions>(AuthOptions.Section);
        services.AddValidatedOptions<AuditOptions>(AuditOptions.Section);
        services.AddValidatedOptions<LimitsOptions>(LimitsOptions.Section);

        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Singleton;
            options.GenerateTypesAsInternal = true;
            options.PipelineBehaviors = [typeof(ValidationBehavior<,>), typeof(AuditBehavior<,>)];
        });

        services.AddSingleton<IRegistryStore, LiteDbStore>();
        services.AddSingleton<ChangeFeed>();
        services.AddSingleton<EventStream>();
        services.AddSingleton<Committer>();
        services.AddSingleton<NamingRegistry>();
        services.AddSingleton<IStoreLoadable>(provider => provider.GetRequiredService<NamingRegistry>());
        services.AddSingleton<LeasePolicy>();
        services.AddSingleton<SelfPreservation>();
        services.AddSingleton<HeartbeatSweeper>();
        services.AddSingleton<ConfigRegistry>();
        services.AddSingleton<IStoreLoadable>(provider => provider.GetRequiredService<ConfigRegistry>());
        services.AddSingleton<ConfigHistoryRetention>();
        services.AddSingleton<TokenRegistry>();
        services.AddSingleton<IStoreLoadable>(provider => provider.GetRequiredService<TokenRegistry>());
        services.TryAddSingleton<IAdminTokenAnnouncer, ConsoleAdminTokenAnnouncer>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<RegistryMetrics>();

        // Order matters: memory is loaded before the background services start, and all before the server listens.
        services.AddHostedService<StoreLoader>();
        services.AddHostedService<AuthBootstrap>();
        services.AddHostedService<AnonymousNetworkWarning>();
        services.AddHostedService(provider => provider.GetRequiredService<AuditLog>());
        services.AddHostedService(provider => provider.GetRequiredService<HeartbeatSweeper>());
        services.AddHostedService(provider => provider.GetRequiredService<ConfigHistoryRetention>());
        services.AddHostedService<StoreProbe>();

        services.AddProblemDetails(options => options.CustomizeProblemDetails = RequestRefusals.Describe);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(options =>
        {
            // A number sent as a string is a client bug worth reporting, not something to guess at.
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;

            // A field given twice is ambiguous: refused, not last-one-wins.
            options.SerializerOptions.AllowDuplicateProperties = false;
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, RegistryJsonContext.Default);
        });
        services.AddRegistryAuth(configuration);
        services.AddRegistryLimits();
        services.AddRegistryHealthChecks();
        services.AddRegistryOpenApi();
        services.AddEureka();
        return services;
    }
}
