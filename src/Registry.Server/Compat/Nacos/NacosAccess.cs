using Microsoft.Extensions.Options;
using Registry.Server.Infrastructure;
using Registry.Server.Security;

namespace Registry.Server.Compat.Nacos;

/// <summary>
/// Auth on the Nacos surface, with the registry's own tokens and roles. A Nacos client proves itself by
/// <c>Authorization: Bearer</c>, an <c>accessToken</c> parameter (or header), or raw <c>username</c> and
/// <c>password</c> parameters (the Node clients send these on every call): the username is a token's name and
/// the password its secret. Refusals are 403 with a text body, as Nacos answers.
/// </summary>
internal static class NacosAccess
{
    /// <summary>The token the request presents, if its secret is live (and, by username, named so).</summary>
    public static TokenRecord? Resolve(HttpContext http, NacosParameters p)
    {
        var services = http.RequestServices;
        var tokens = services.GetRequiredService<TokenTable>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var secret = HttpContextTokens.BearerSecret(http.Request) is { Length: > 0 } bearer ? bearer
            : p["accessToken"] is { Length: > 0 } parameter ? parameter
            : http.Request.Headers["accessToken"].ToString() is { Length: > 0 } header ? header
            : null;
        if (secret is not null)
        {
            return tokens.Find(secret, now);
        }

        return p["username"] is { Length: > 0 } username && p["password"] is { Length: > 0 } password
            && tokens.Find(password, now) is { } token && token.Name == username
            ? token
            : null;
    }

    /// <summary>
    /// Requires <paramref name="role"/> in <paramref name="ns"/> when auth is on (a null namespace: any of
    /// them will do, the endpoint filters what it shows); returns who acts, for history and audit.
    /// </summary>
    public static Actor Demand(HttpContext http, NacosParameters p, string role, string? ns)
    {
        var token = Resolve(http, p);
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "";
        if (!http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.Enabled)
        {
            return token is null ? RequestActors.From(http.Request) : new Actor(token.Name, address);
        }

        if (token is null)
        {
            throw Refuse(http, Actor.Anonymous, ns, "user not found!");
        }

        if (!token.Has(role))
        {
            throw Refuse(http, token.Name, ns, $"authorization failed! token '{token.Name}' does not have the '{role}' role.");
        }

        if (ns is not null && !token.CanActIn(ns))
        {
            throw Refuse(http, token.Name, ns, $"authorization failed! token '{token.Name}' may not act in namespace '{ns}'.");
        }

        // A listener's long poll lives no longer than the token that let it in.
        http.EndsWith(token);

        return new Actor(token.Name, address);
    }

    /// <summary>Records a refusal, as the native API's are recorded, and makes Nacos's 403 for it (<paramref name="answer"/>, else the reason).</summary>
    private static NacosException Refuse(HttpContext http, string actor, string? ns, string reason, string? answer = null)
    {
        http.RequestServices.GetRequiredService<RefusalLog>().Record(
            http, StatusCodes.Status403Forbidden, actor, ns ?? NameRules.DefaultNamespace, reason);
        return NacosException.Forbidden(answer ?? reason);
    }

    /// <summary>Which namespaces the caller may see in a listing.</summary>
    public static NamespaceAccess Visible(HttpContext http, NacosParameters p) =>
        http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.Enabled
        && Resolve(http, p) is { SpansAllNamespaces: false } token
            ? new NamespaceAccess(token.Namespaces)
            : NamespaceAccess.Everything;

    /// <summary><c>POST /nacos/v1/auth/login</c>: a token's name and secret give that secret back as the access token.</summary>
    public static async Task<IResult> Login(HttpContext http, CancellationToken ct)
    {
        var p = await NacosParameters.ReadAsync(http.Request, ct);
        var username = p.Required("username");
        var password = p.Required("password");
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (http.RequestServices.GetRequiredService<TokenTable>().Find(password, now) is not { } token || token.Name != username)
        {
            throw Refuse(http, Actor.Anonymous, ns: null, $"login as '{username}' refused: no live token of that name has that secret", "unknown user!");
        }

        // Nacos clients refresh at 90% of the TTL; a token without an expiry is good for Nacos's default 5 hours at a time.
        var ttl = token.ExpiresAt is { } expires ? (long)Math.Max(0, (expires - now).TotalSeconds) : 18_000;
        http.Response.Headers.Authorization = "Bearer " + password;
        return NacosResults.Json(
            new NacosLogin(password, ttl, token.Has(Roles.Admin) && token.SpansAllNamespaces, token.Name), NacosJson.Default.NacosLogin);
    }
}
