using System.Text.Json.Serialization;

namespace Registry.Contracts.Naming;

/// <summary>Body of <c>PUT /v1/namespaces/{namespace}</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record NamespaceRequest
{
    /// <summary>A human-readable name; defaults to the id.</summary>
    public string? DisplayName { get; init; }

    /// <summary>What the namespace is for.</summary>
    public string? Description { get; init; }
}
