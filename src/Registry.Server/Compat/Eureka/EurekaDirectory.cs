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

    /// <summary>The instance with that Eureka id in the app: through the index when it knows it, else from the list.</summary>
    public static async Task<InstanceInfo?> FindEurekaInstanceAsync(
        this IMediator mediator, EurekaInstanceIndex index, string app, string instanceId, CancellationToken ct)
    {
        var service = EurekaMapping.ServiceName(app);
        if (index.Find(service, instanceId) is { } nativeId
            && (await mediator.Send(new GetInstanceQuery(EurekaMapping.Namespace, EurekaMapping.Group, service, nativeId), ct)).Value is { } known
            && EurekaMapping.Matches(known, instanceId))
        {
            return known;
        }

        var found = (await mediator.InstancesOfAsync(service, ct)).FirstOrDefault(i => EurekaMapping.Matches(i, instanceId));
        if (found is null)
        {
            index.Forget(service, instanceId);
        }
        else
        {
            index.Remember(service, instanceId, found.Id);
        }

        return found;
    }

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
