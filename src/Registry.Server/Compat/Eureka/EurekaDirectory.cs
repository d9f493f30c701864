using System.Text.Json;
using Mediator;
using Registry.Contracts;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;
using Registry.Server.Naming;

namespace Registry.Server.Compat.Eureka;

/// <summary>Reads of the naming center as Eureka sees it, through the native list queries.</summary>
internal static class EurekaDirectory
{
    public static async Task<IReadOnlyList<InstanceInfo>> InstancesOfAsync(this IMediator mediator, string service, CancellationToken ct)
    {
        var json = await mediator.Send(new ListInstancesQuery(
            EurekaMapping.Namespace, EurekaMapping.Group, service, HealthyOnly: false, Cluster: null, Protocol: null), ct);
        return JsonSerializer.Deserialize(json, RegistryJsonContext.Default.InstanceList)?.Instances ?? [];
    }

    public static async Task<InstanceInfo?> FindEurekaInstanceAsync(this IMediator mediator, string app, string instanceId, CancellationToken ct) =>
        (await mediator.InstancesOfAsync(EurekaMapping.ServiceName(app), ct)).FirstOrDefault(i => EurekaMapping.Matches(i, instanceId));

    /// <summary>Every instance of every service of the Eureka group, service by service.</summary>
    public static async Task<IReadOnlyList<InstanceInfo>> AllInstancesAsync(this IMediator mediator, CancellationToken ct)
    {
        var instances = new List<InstanceInfo>();
        for (var page = 1; ; page++)
        {
            var services = await mediator.Send(
                new ListServicesQuery(EurekaMapping.Namespace, EurekaMapping.Group, Search: null, page, Paging.MaxPageSize), ct);
            foreach (var service in services.Items.Where(s => s.InstanceCount > 0))
            {
                instances.AddRange(await mediator.InstancesOfAsync(service.Name, ct));
            }

            if (page * Paging.MaxPageSize >= services.Total)
            {
                return instances;
            }
        }
    }

    public static ServiceKey ServiceKey(string app) => new(EurekaMapping.Namespace, EurekaMapping.Group, EurekaMapping.ServiceName(app));
}
