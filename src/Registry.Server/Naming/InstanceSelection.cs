using FluentValidation;
using Registry.Server.Infrastructure;

namespace Registry.Server.Naming;

/// <summary>Which instances of a service a consumer gets: the filters of list and pick, and the protect threshold.</summary>
internal static class InstanceSelection
{
    public static string[] ParseClusters(string? clusters) =>
        string.IsNullOrEmpty(clusters)
            ? []
            : clusters.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Instances of <paramref name="clusters"/> (all when empty). With <paramref name="healthyOnly"/> only the
    /// healthy, enabled ones, unless their share is at or below the service's protect threshold: then every
    /// enabled instance is returned and <c>ProtectThresholdReached</c> is true.
    /// </summary>
    public static (IReadOnlyList<InstanceRecord> Instances, bool ProtectThresholdReached) Select(
        ServiceEntry service, string[] clusters, bool healthyOnly)
    {
        IReadOnlyList<InstanceRecord> instances = service.SortedInstances();
        if (clusters.Length > 0)
        {
            instances = [.. instances.Where(i => clusters.Contains(i.Cluster, StringComparer.Ordinal))];
        }

        var usable = instances.Count(IsUsable);
        var threshold = service.Record.ProtectThreshold;
        var protect = threshold > 0 && instances.Count > 0 && (double)usable / instances.Count <= threshold;
        if (protect)
        {
            return ([.. instances.Where(static i => i.Enabled)], true);
        }

        return healthyOnly && usable < instances.Count ? ([.. instances.Where(IsUsable)], false) : (instances, false);
    }

    /// <summary>A weighted random choice among the healthy, enabled instances with a weight above 0.</summary>
    public static InstanceRecord? Pick(IEnumerable<InstanceRecord> instances, Random random)
    {
        var candidates = instances.Where(static i => IsUsable(i) && i.Weight > 0).ToArray();
        if (candidates.Length == 0)
        {
            return null;
        }

        var point = random.NextDouble() * candidates.Sum(static i => i.Weight);
        foreach (var candidate in candidates)
        {
            point -= candidate.Weight;
            if (point < 0)
            {
                return candidate;
            }
        }

        return candidates[^1];
    }

    private static bool IsUsable(InstanceRecord instance) => instance.Healthy && instance.Enabled;

    public static IRuleBuilderOptions<T, string?> ValidClusterList<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(clusters => ParseClusters(clusters).All(c => NameRules.IsValid(c, NameRules.ClusterMaxLength)))
            .WithMessage($"'{{PropertyName}}' must be a comma-separated list of cluster names ({NameRules.Characters}).");
}
