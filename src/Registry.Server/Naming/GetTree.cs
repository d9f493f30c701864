using Mediator;
using Registry.Contracts.Naming;
using Registry.Server.Security;
using Registry.Server.Storage;

namespace Registry.Server.Naming;

/// <summary>The whole naming tree, namespaces → groups → services → clusters, with counts at every level.</summary>
internal sealed record GetTreeQuery(NamespaceAccess Access) : IQuery<NamingTree>;

internal sealed class GetTreeHandler(NamingRegistry registry, Committer committer) : IQueryHandler<GetTreeQuery, NamingTree>
{
    public ValueTask<NamingTree> Handle(GetTreeQuery query, CancellationToken cancellationToken)
    {
        var revision = committer.Revision;
        var services = registry.Services.ToLookup(s => s.Key.Namespace, StringComparer.Ordinal);
        var namespaces = registry.Namespaces
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
        return ValueTask.FromResult(new NamingTree(revision, namespaces));
    }

    private static ServiceNode ToNode(ServiceEntry service)
    {
        var instances = service.View().Instances;
        return new ServiceNode(
            service.Key.Name, instances.Count, instances.Count(static i => i.Healthy), NamingMapping.Clusters(instances));
    }
}
