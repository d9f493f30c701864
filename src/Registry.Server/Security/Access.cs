using Microsoft.AspNetCore.Authorization;
using Registry.Server.Infrastructure;

namespace Registry.Server.Security;

/// <summary>Which namespace a request acts in, for the namespace scope of its token.</summary>
internal enum NamespaceScope
{
    /// <summary>The request's own: the <c>namespace</c> route value or query parameter, default <c>public</c>.</summary>
    Request,

    /// <summary>Any: the endpoint lists several namespaces and shows only those the token may see.</summary>
    Any,

    /// <summary>All: the endpoint is about the whole server (tokens, audit, backup).</summary>
    All,
}

/// <summary>What an endpoint requires: a role, in the namespace(s) it acts in.</summary>
internal sealed record AccessRequirement(string Role, NamespaceScope Scope) : IAuthorizationRequirement
{
    public string PolicyName => $"{Role}:{Scope}";

    public static IEnumerable<AccessRequirement> All =>
        Roles.All.SelectMany(role => Enum.GetValues<NamespaceScope>().Select(scope => new AccessRequirement(role, scope)));
}

/// <summary>Grants a request when its token has the role in the namespace it acts in (auth on; with auth off nothing is checked).</summary>
internal sealed class AccessHandler : AuthorizationHandler<AccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AccessRequirement requirement)
    {
        if (context.Resource is not HttpContext http || http.Token() is not { } token)
        {
            return Task.CompletedTask;
        }

        var ns = requirement.Scope == NamespaceScope.Request ? RequestNamespace(http) : null;
        if (!token.Has(requirement.Role))
        {
            context.Fail(new AuthorizationFailureReason(this, $"Token '{token.Name}' does not have the '{requirement.Role}' role."));
        }
        else if (requirement.Scope == NamespaceScope.All && !token.SpansAllNamespaces)
        {
            context.Fail(new AuthorizationFailureReason(this, $"Token '{token.Name}' is limited to some namespaces; this needs all ('*')."));
        }
        else if (ns is not null && !token.CanActIn(ns))
        {
            context.Fail(new AuthorizationFailureReason(this, $"Token '{token.Name}' may not act in namespace '{ns}'."));
        }
        else
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    /// <summary>The namespace a request acts in.</summary>
    public static string RequestNamespace(HttpContext http) =>
        http.Request.RouteValues.TryGetValue("namespace", out var route) && route is string fromRoute ? fromRoute
        : http.Request.Query.TryGetValue("namespace", out var query) && query.Count > 0 ? query.ToString()
        : NameRules.DefaultNamespace;
}

internal static class AccessEndpoints
{
    /// <summary>Requires <paramref name="role"/> in the namespace(s) given by <paramref name="scope"/>.</summary>
    public static TBuilder RequireAccess<TBuilder>(this TBuilder builder, string role, NamespaceScope scope = NamespaceScope.Request)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(new AccessRequirement(role, scope).PolicyName);
}

/// <summary>Which namespaces the caller of a listing may see.</summary>
internal sealed record NamespaceAccess(IReadOnlyList<string>? Allowed)
{
    public static NamespaceAccess Everything { get; } = new((IReadOnlyList<string>?)null);

    public bool Sees(string ns) => Allowed is null || Allowed.Contains(ns, StringComparer.Ordinal);

    public static NamespaceAccess Of(HttpContext http) =>
        http.Token() is { SpansAllNamespaces: false } token ? new NamespaceAccess(token.Namespaces) : Everything;
}
