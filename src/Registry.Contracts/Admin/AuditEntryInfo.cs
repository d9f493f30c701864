using System.Text.Json.Serialization;

namespace Registry.Contracts.Admin;

/// <summary>One entry of the audit log: who did what, when, from where, and how it ended.</summary>
public sealed record AuditEntryInfo
{
    public required DateTimeOffset Time { get; init; }
    /// <summary>The token name (or, with auth off, the <c>X-Registry-User</c> header, else <c>anonymous</c>).</summary>
    public required string Actor { get; init; }
    public required string Address { get; init; }
    /// <summary>e.g. <c>config.publish</c>, <c>service.delete</c>, <c>token.create</c>, <c>auth.denied</c>.</summary>
    public required string Action { get; init; }
    public required string Namespace { get; init; }
    /// <summary>What was acted on, e.g. <c>shop/app.yaml</c> or <c>DEFAULT_GROUP/orders</c>.</summary>
    public required string Target { get; init; }
    /// <summary><c>ok</c>, or <c>denied</c> for an auth failure.</summary>
    public required string Outcome { get; init; }
    public string? Detail { get; init; }
    /// <summary>The revision of the change; 0 for entries that changed nothing.</summary>
    public required long Revision { get; init; }
}

/// <summary>Body of <c>POST /v1/tokens</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TokenRequest
{
    /// <summary>Who or what the token is for; recorded as the author of its changes.</summary>
    public string? Name { get; init; }
    /// <summary><c>read</c>, <c>register</c>, <c>write</c> and/or <c>admin</c>.</summary>
    public IReadOnlyList<string>? Roles { get; init; }
    /// <summary>Namespaces it may act in; <c>*</c> (the default) for all.</summary>
    public IReadOnlyList<string>? Namespaces { get; init; }
    /// <summary>When it stops working; never when left out.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>A token as listed: everything but its secret.</summary>
public sealed record TokenInfo
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required IReadOnlyList<string> Roles { get; init; }
    public required IReadOnlyList<string> Namespaces { get; init; }
    /// <summary><c>config</c> or <c>api</c>; configured tokens cannot be revoked through the API.</summary>
    public required string Source { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>A token just created: the only time its secret is shown.</summary>
public sealed record CreatedToken(TokenInfo Token, string Secret);

/// <summary>Who the caller is to the server: whether tokens are required, and the token a request presents.</summary>
public sealed record CurrentToken
{
    /// <summary>Whether the server requires a token (auth on); when off every request may do everything.</summary>
    public required bool AuthEnabled { get; init; }
    /// <summary>The token the request presents; null when it presents none.</summary>
    public TokenInfo? Token { get; init; }
}
