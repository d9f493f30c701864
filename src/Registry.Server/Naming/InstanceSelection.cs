using System.Text.Json;
using FluentValidation;
using Registry.Contracts;
using Registry.Contracts.Naming;
using Registry.Server.Infrastructure;

namespace Registry.Server.Naming;

/// <summary>
/// Which instances of a service a consumer gets: the filters of list, pick and the naming watch, the protect
/// threshold, and weighted choice by effective weight.
/// </summary>
internal static class InstanceSelection
{
    public static string[] ParseClusters(string? clusters) =>
        string.IsNullOrEmpty(clusters)
            ? []
            : clusters.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Instances of the filter's clusters (all when none) that serve its protocol (any when none). With
    /// <c>HealthyOnly</c> only the healthy, enabled ones, unless their share is at or below the service's protect
    /// threshold: then every enabled instance is returned and <c>ProtectThresholdReached</c> is true.
    /// </summary>
    public static (IReadOnlyList<Instance> Instances, bool ProtectThresholdReached) Select(ServiceView view, InstanceFilter filter)
    {
        var instances = InScope(view, filter);
        var usable = instances.Count(IsUsable);
        var threshold = view.Record.ProtectThreshold;
        var protect = threshold > 0 && instances.Count > 0 && (double)usable / instances.Count <= threshold;
        if (protect)
        {
            return ([.. instances.Where(static i => i.Enabled)], true);
        }

        return filter.HealthyOnly && usable < instances.Count ? ([.. instances.Where(IsUsable)], false) : (instances, false);
    }

    /// <summary>A weighted random choice, by effective weight, among the healthy, enabled instances in scope.</summary>
    public static Instance? Pick(ServiceView view, InstanceFilter filter, Random random)
    {
        var candidates = InScope(view, filter)
            .Where(IsUsable)
            .Select(i => (Instance: i, Weight: ServiceRouting.EffectiveWeight(i, view.Routing)))
            .Where(static c => c.Weight > 0)
            .ToArray();
        if (candidates.Length == 0)
        {
            return null;
        }

        var point = random.NextDouble() * candidates.Sum(static c => c.Weight);
        foreach (var (instance, weight) in candidates)
        {
            point -= weight;
            if (point < 0)
            {
                return instance;
            }
        }

        return candidates[^1].Instance;
    }

    /// <summary>The list of a service that does not exist (yet): empty, at revision 0.</summary>
    public static byte[] RenderedEmpty(ServiceKey key) => JsonSerializer.SerializeToUtf8Bytes(new InstanceList
    {
        Namespace = key.Namespace,
        Group = key.Group,
        Service = key.Name,
        Revision = 0,
        ProtectThresholdReached = false,
        Instances = [],
    }, RegistryJsonContext.Default.InstanceList);

    /// <summary>The list as JSON, serialized once per view and filter and shared by every reader of that revision.</summary>
    public static byte[] Rendered(ServiceView view, InstanceFilter filter, LeasePolicy leases) =>
        view.Rendered(filter, (v, f) => JsonSerializer.SerializeToUtf8Bytes(ToList(v, f, leases), RegistryJsonContext.Default.InstanceList));

    /// <summary>The instance list a consumer sees: the wire shape of list responses and naming events.</summary>
    public static InstanceList ToList(ServiceView view, InstanceFilter filter, LeasePolicy leases)
    {
        var (instances, protect) = Select(view, filter);
        return new InstanceList
        {
            Namespace = view.Key.Namespace,
            Group = view.Key.Group,
            Service = view.Key.Name,
            Revision = view.Revision,
            ProtectThresholdReached = protect,
            Instances = [.. instances.Select(i => i.ToInfo(view.Key, view.Routing, leases, filter.Protocol))],
        };
    }

    public static IRuleBuilderOptions<T, string?> ValidClusterList<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(clusters => ParseClusters(clusters).All(c => NameRules.IsValid(c, NameRules.ClusterMaxLength)))
            .WithMessage($"'{{PropertyName}}' must be a comma-separated list of cluster names ({NameRules.Characters}).");

    private static IReadOnlyList<Instance> InScope(ServiceView view, InstanceFilter filter)
    {
        IReadOnlyList<Instance> instances = view.Instances;
        if (filter.ClusterList.Length > 0)
        {
            instances = [.. instances.Where(i => filter.ClusterList.Contains(i.Cluster, StringComparer.Ordinal))];
        }

        if (filter.Protocol is { } protocol)
        {
            instances = [.. instances.Where(i => ServiceRouting.Endpoint(i, view.Routing, protocol) is not null)];
        }

        return instances;
    }

    private static bool IsUsable(Instance instance) => instance.Healthy && instance.Enabled;
}
