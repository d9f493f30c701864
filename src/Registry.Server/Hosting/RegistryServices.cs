using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Registry.Contracts;
using Registry.Server.Audit;
using Registry.Server.Compat.Eureka;
using Registry.Server.Config;
using Registry.Server.Events;
using Registry.Server.Health;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Metadata;
using Registry.Server.Metrics;
using Registry.Server.Namespaces;
using Registry.Server.Naming;
using Registry.Server.Probes;
using Registry.Server.Security;
using Registry.Server.Storage;
using Registry.Server.Storage.Etcd;

namespace Registry.Server.Hosting;

internal static class RegistryServices
{
    /// <summary>Every kind of change the log stores, by the name it is stored under.</summary>
    public static ChangeCodec Codec { get; } = new([
        .. NamespaceChanges.Types, .. NamingChanges.Types, .. MetadataDocuments.Types, .. ConfigDocuments.Types,
        .. TokenChanges.Types, .. AuditTrimmed.Types]);

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

        services.AddValidatedOptions<MetadataOptions>(MetadataOptions.Section);
        services.AddValidatedOptions<ProbeOptions>(ProbeOptions.Section);
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Singleton;
            options.GenerateTypesAsInternal = true;
            options.PipelineBehaviors = [typeof(ValidationBehavior<,>)];
        });

        services.AddSingleton<MetricRegistry>();
        services.AddChangeLog(configuration);
        services.AddSingleton<ChangeFeed>();
        services.AddSingleton<EventStream>();

        // The projections, in the order each entry is applied to them: a service before the metadata that routes to it.
        services.AddProjection<NamespaceTable>();
        services.AddProjection<ServiceTable>();
        services.AddProjection<MetadataTable>();
        services.AddSingleton<MetadataSaves>();
        services.AddProjection<ConfigTable>();
        services.AddProjection<TokenTable>();
        services.AddSingleton<INamespaceContents>(provider => provider.GetRequiredService<ServiceTable>());
        services.AddSingleton<INamespaceContents>(provider => provider.GetRequiredService<ConfigTable>());
        services.AddSingleton<IServiceDependents>(provider => provider.GetRequiredService<MetadataTable>());
        services.AddSingleton<NamespaceCounter>();

        services.AddSingleton<NamingMetrics>();
        services.AddSingleton<ConfigMetrics>();
        services.AddSingleton<ConfigClients>();
        services.AddSingleton<LeasePolicy>();
        services.AddSingleton<SelfPreservation>();
        services.AddSingleton<HeartbeatSweeper>();
        services.AddSingleton<ProbeTargets>();
        services.AddSingleton<IProbe, Prober>();
        services.AddSingleton<HealthChecker>();
        services.AddSingleton<ConfigHistoryRetention>();
        services.AddSingleton<MetadataHistoryRetention>();
        services.TryAddSingleton<IAdminTokenAnnouncer, ConsoleAdminTokenAnnouncer>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<IRefusalRecorder>(provider => provider.GetRequiredService<AuditLog>());
        services.AddSingleton<RegistryMetrics>();

        // Order matters: the log is opened into the projections before the background services start, and all before
        // the server listens.
        services.AddHostedService<LogStartup>();
        if (Clustered(configuration))
        {
            services.AddHostedService(provider => provider.GetRequiredService<EtcdNodes>());
        }

        services.AddHostedService<AuthBootstrap>();
        services.AddHostedService<AnonymousNetworkWarning>();
        services.AddHostedService(provider => provider.GetRequiredService<AuditLog>());
        services.AddHostedService(provider => provider.GetRequiredService<HeartbeatSweeper>());
        services.AddHostedService(provider => provider.GetRequiredService<HealthChecker>());
        services.AddHostedService<InstanceTakeover>();
        services.AddHostedService(provider => provider.GetRequiredService<ConfigHistoryRetention>());
        services.AddHostedService(provider => provider.GetRequiredService<MetadataHistoryRetention>());
        services.AddHostedService<StoreProbe>();
        services.AddHostedService<MemoryTrimmer>();

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
        services.AddRegistryLimits(provider => provider.GetRequiredService<IOptions<ProbeOptions>>().Value.Sockets);
        services.AddRegistryHealthChecks();
        services.AddRegistryOpenApi();
        services.AddEureka();
        return services;
    }

    /// <summary>
    /// The change log every write goes through, with the types of change it stores: on local disk, or in an etcd
    /// cluster that several nodes share (<c>Registry:Storage:Provider</c>).
    /// </summary>
    private static void AddChangeLog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(Codec);
        services.TryAddSingleton<IDiskFaults, NoDiskFaults>();
        services.AddSingleton<StoreMetrics>();
        if (Clustered(configuration))
        {
            services.AddValidatedOptions<ClusterOptions>(ClusterOptions.Section);
            services.AddSingleton<EtcdLog>();
            services.AddSingleton<IChangeLog>(provider => provider.GetRequiredService<EtcdLog>());
            services.AddSingleton<EtcdNodes>();
            services.AddSingleton<IClusterNodes>(provider => provider.GetRequiredService<EtcdNodes>());
        }
        else
        {
            services.AddSingleton<LocalLog>();
            services.AddSingleton<IChangeLog>(provider => provider.GetRequiredService<LocalLog>());
            services.AddSingleton<IClusterNodes, SingleNode>();
        }

        services.AddSingleton<ChangeWriter>();
        services.AddSingleton<ProjectionSet>();
    }

    private static bool Clustered(IConfiguration configuration) =>
        configuration.GetSection(StorageOptions.Section).Get<StorageOptions>()?.Clustered == true;

    private static void AddProjection<T>(this IServiceCollection services) where T : class, IProjection
    {
        services.AddSingleton<T>();
        services.AddSingleton<IProjection>(provider => provider.GetRequiredService<T>());
    }
}
