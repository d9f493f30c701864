using Registry.Contracts.Admin;

namespace Registry.Server.Security;

internal static class TokenMapping
{
    public static TokenInfo ToInfo(this TokenRecord token) => new()
    {
        Id = token.Id,
        Name = token.Name,
        Roles = token.Roles,
        Namespaces = token.Namespaces,
        Source = token.Source,
        CreatedAt = token.CreatedAt,
        CreatedBy = token.CreatedBy,
        ExpiresAt = token.ExpiresAt,
    };
}
