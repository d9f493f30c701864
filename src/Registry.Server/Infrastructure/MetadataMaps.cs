using System.Collections.Frozen;
using FluentValidation;

namespace Registry.Server.Infrastructure;

/// <summary>String maps attached to instances and services: one empty instance, one set of limits.</summary>
internal static class MetadataMaps
{
    public static IReadOnlyDictionary<string, string> Empty { get; } = FrozenDictionary<string, string>.Empty;

    public static IReadOnlyDictionary<string, string> OrEmpty(IReadOnlyDictionary<string, string>? map) =>
        map is null || map.Count == 0 ? Empty : map;

    public static bool AreEqual(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        ReferenceEquals(a, b)
        || a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && value == pair.Value);

    public static IRuleBuilderOptions<T, IReadOnlyDictionary<string, string>?> WithinLimits<T>(
        this IRuleBuilder<T, IReadOnlyDictionary<string, string>?> rule, MetadataLimits limits) =>
        rule.Must(map => map is null || map.Count <= limits.MaxEntries)
                .WithMessage($"'{{PropertyName}}' may hold at most {limits.MaxEntries} entries.")
            .Must(map => map is null || map.Keys.All(key => key.Length > 0 && key.Length <= limits.MaxKeyLength))
                .WithMessage($"Every key of '{{PropertyName}}' must be 1 to {limits.MaxKeyLength} characters long.")
            .Must(map => map is null || map.Values.All(value => value is not null && value.Length <= limits.MaxValueLength))
                .WithMessage($"Every value of '{{PropertyName}}' must be a string of at most {limits.MaxValueLength} characters.")
            .Must(map => map is null || map.Sum(pair => pair.Key.Length + (pair.Value?.Length ?? 0)) <= limits.MaxTotalLength)
                .WithMessage($"The keys and values of '{{PropertyName}}' may hold at most {limits.MaxTotalLength} characters together.");
}

internal sealed record MetadataLimits(int MaxEntries, int MaxKeyLength, int MaxValueLength, int MaxTotalLength);
