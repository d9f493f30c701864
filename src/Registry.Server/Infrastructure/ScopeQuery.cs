using Microsoft.AspNetCore.Mvc;

namespace Registry.Server.Infrastructure;

/// <summary>The optional <c>namespace</c> and <c>group</c> query parameters of every naming and config call.</summary>
/// <param name="Namespace">The namespace; default <c>public</c>.</param>
/// <param name="Group">The group; default <c>DEFAULT_GROUP</c>.</param>
internal readonly record struct ScopeQuery(
    [FromQuery(Name = "namespace")] string? Namespace,
    [FromQuery(Name = "group")] string? Group)
{
    public string NamespaceOrDefault => Namespace ?? NameRules.DefaultNamespace;

    public string GroupOrDefault => Group ?? NameRules.DefaultGroup;
}
