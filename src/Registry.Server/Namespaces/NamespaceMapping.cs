using Registry.Contracts.Naming;

namespace Registry.Server.Namespaces;

/// <summary>Counts what every feature keeps in a namespace.</summary>
internal sealed class NamespaceCounter(IEnumerable<INamespaceContents> contents)
{
    private readonly INamespaceContents[] _contents = [.. contents];

    public NamespaceCounts Count(string ns) => _contents.Aggregate(default(NamespaceCounts), (sum, part) => sum + part.Count(ns));
}

internal static class NamespaceMapping
{
    public const int MaxDisplayNameLength = 128;
    public const int MaxDescriptionLength = 1024;

    public static NamespaceInfo ToInfo(this NamespaceRecord record, NamespaceCounter counter)
    {
        var counts = counter.Count(record.Id);
        return new NamespaceInfo
        {
            Id = record.Id,
            DisplayName = record.DisplayName,
            Description = record.Description,
            ServiceCount = counts.Services,
            InstanceCount = counts.Instances,
            HealthyCount = counts.Healthy,
            ConfigCount = counts.ConfigItems,
            CreatedAt = record.CreatedAt,
            Revision = record.Revision,
        };
    }
}
