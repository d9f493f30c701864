using Registry.Contracts.Naming;
using Registry.Server.Naming;

namespace Registry.Server.Namespaces;

internal static class NamespaceMapping
{
    public const int MaxDisplayNameLength = 128;
    public const int MaxDescriptionLength = 1024;

    public static NamespaceInfo ToInfo(this NamespaceRecord record, NamingRegistry registry)
    {
        int services = 0, instances = 0, healthy = 0;
        foreach (var service in registry.Services.Where(s => s.Key.Namespace == record.Id))
        {
            var sorted = service.View().Instances;
            services++;
            instances += sorted.Count;
            healthy += sorted.Count(static i => i.Healthy);
        }

        return new NamespaceInfo
        {
            Id = record.Id,
            DisplayName = record.DisplayName,
            Description = record.Description,
            ServiceCount = services,
            InstanceCount = instances,
            HealthyCount = healthy,
            CreatedAt = record.CreatedAt,
            Revision = record.Revision,
        };
    }
}
