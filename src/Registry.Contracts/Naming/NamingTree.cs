namespace Registry.Contracts.Naming;

/// <summary>Response of <c>GET /v1/tree</c>: the whole naming tree with counts at every level.</summary>
public sealed record NamingTree(long Revision, IReadOnlyList<NamespaceNode> Namespaces);

public sealed record NamespaceNode(string Id, int InstanceCount, int HealthyCount, IReadOnlyList<GroupNode> Groups);

public sealed record GroupNode(string Name, int InstanceCount, int HealthyCount, IReadOnlyList<ServiceNode> Services);

public sealed record ServiceNode(string Name, int InstanceCount, int HealthyCount, IReadOnlyList<ClusterInfo> Clusters);
