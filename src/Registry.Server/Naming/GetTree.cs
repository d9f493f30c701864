using Mediator;
using Registry.Contracts.Naming;
using Registry.Server.Security;
using Registry.Server.Log;
using Registry.Server.Namespaces;

namespace Registry.Server.Naming;

/// <summary>The whole naming tree, namespaces → groups → services → clusters, with counts at every level.</summary>
internal sealed record GetTreeQuery(NamespaceAccess Access) : IQuery<NamingTree>;

internal sealed class GetTreeHandler(ServiceTable tree, NamespaceTable namespaces, IChangeLog log) : IQueryHandler<GetTreeQuery, NamingTree>
{
    public ValueTask<NamingTree> Handle(GetTreeQuery query, CancellationToken cancellationToken)
    {
        var revision = log.Revision;
        var services = tree.Services.ToLookup(s => s.Key.Namespace, StringComparer.Ordinal);
        var visible = namespaces.All
            .Where(ns => query.Access.Sees(ns.Id))
            .OrderBy(ns => ns.Id, StringComparer.Ordinal)
            .Select(ns =>
            {
                var groups = services[ns.Id]
                    .GroupBy(s => s.Key.Group, StringComparer.Ordinal)
                    .OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g =>
                    {
                        var serviceNodes = g.OrderBy(s => s.Key.Name, StringComparer.Ordinal).Select(ToNode).ToList();
                        return new GroupNode(
                            g.Key, serviceNodes.Sum(s => s.InstanceCount), serviceNodes.Sum(s => s.HealthyCount), serviceNodes);
                    })
                    .ToList();
                return new NamespaceNode(
                    ns.Id, groups.Sum(g => g.InstanceCount), groups.Sum(g => g.HealthyCount), groups);
            })
            .ToList();
        return ValueTask.FromResult(new NamingTree(revision, visible));
    }

    private static ServiceNode ToNode(ServiceView service)
    {
        var instances = service.Instances;
        return new ServiceNode(
            service.Key.Name, instances.Count, instances.Count(static i => i.Healthy), NamingMapping.Clusters(instances));
    }
}
