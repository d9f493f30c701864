using Registry.Contracts.Naming;

namespace Registry.Client.Discovery;

internal static class WeightedPick
{
    /// <summary>A random choice by effective weight among the enabled instances, healthy ones first.</summary>
    public static InstanceInfo? Pick(IReadOnlyList<InstanceInfo> instances, Random random)
    {
        var candidates = instances.Where(static i => i.Enabled && i.Healthy && i.EffectiveWeight > 0).ToArray();
        if (candidates.Length == 0)
        {
            candidates = [.. instances.Where(static i => i.Enabled && i.EffectiveWeight > 0)];
        }

        if (candidates.Length == 0)
        {
            return null;
        }

        var point = random.NextDouble() * candidates.Sum(static i => i.EffectiveWeight);
        foreach (var instance in candidates)
        {
            point -= instance.EffectiveWeight;
            if (point < 0)
            {
                return instance;
            }
        }

        return candidates[^1];
    }
}
