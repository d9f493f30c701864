using System.Security.Cryptography;
using System.Text;

namespace Registry.Server.Security;

/// <summary>A token as the server knows it: never its secret, only the secret's hash.</summary>
/// <param name="Source"><c>config</c> (from configuration, cannot be revoked by the API) or <c>api</c>.</param>
internal sealed record TokenRecord(
    string Id,
    string Name,
    string Hash,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> Namespaces,
    string Source,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? ExpiresAt)
{
    public const string FromConfig = "config";
    public const string FromApi = "api";

    public bool Has(string role) => Roles.Any(granted => Security.Roles.Allows(granted, role));

    public bool CanActIn(string ns) =>
        Namespaces.Contains(TokenRules.AllNamespaces, StringComparer.Ordinal) || Namespaces.Contains(ns, StringComparer.Ordinal);

    public bool SpansAllNamespaces => Namespaces.Contains(TokenRules.AllNamespaces, StringComparer.Ordinal);
}

/// <summary>How token secrets are made and recognised.</summary>
internal static class TokenSecrets
{
    private const string Prefix = "rg_";

    /// <summary>A new secret: 32 random bytes, base64url, with a prefix that makes it recognisable in a leak scan.</summary>
    public static string Generate() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// SHA-256 of the secret, lower-case hex. The secrets are 256 random bits, so a fast hash is enough:
    /// there is nothing to guess that a slow one would protect.
    /// </summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
