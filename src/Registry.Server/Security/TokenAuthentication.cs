using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Registry.Server.Security;

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c>: a known, live token becomes a principal named after the token,
/// carrying it; anything else that claims to be a token fails. No header means an anonymous request.
/// </summary>
internal sealed class TokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    TokenTable tokens, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    /// <summary>Where the token behind a principal is kept for authorization.</summary>
    public const string TokenItem = "registry.token";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (HttpContextTokens.BearerSecret(Request) is not { } secret)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (secret.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.Fail("The Authorization header must be 'Bearer <token>', or Basic with the token as the password."));
        }

        if (tokens.Find(secret, time.GetUtcNow()) is not { } token)
        {
            return Task.FromResult(AuthenticateResult.Fail("The token is unknown, revoked or expired."));
        }

        Context.Items[TokenItem] = token;
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, token.Name), new Claim("token_id", token.Id)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

internal static class HttpContextTokens
{
    /// <summary>The token that authenticated this request, if any.</summary>
    public static TokenRecord? Token(this HttpContext context) => context.Items[TokenAuthentication.TokenItem] as TokenRecord;

    /// <summary>
    /// The live token a request presents, looked up without authenticating it: with auth off nothing
    /// authenticates requests, yet a valid token still names the author of a change.
    /// </summary>
    public static TokenRecord? PresentedToken(this HttpRequest request)
    {
        if (BearerSecret(request) is not { Length: > 0 } secret)
        {
            return null;
        }

        var services = request.HttpContext.RequestServices;
        return services.GetRequiredService<TokenTable>().Find(secret, services.GetRequiredService<TimeProvider>().GetUtcNow());
    }

    /// <summary>
    /// The secret of an <c>Authorization: Bearer</c> header, or the password of a <c>Basic</c> one (Spring Cloud
    /// Eureka clients send <c>http://user:secret@host/eureka/</c> that way); null without the header, empty
    /// when it carries no secret.
    /// </summary>
    public static string? BearerSecret(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return null;
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return BasicPassword(header[6..].Trim());
        }

        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
    }

    private static string BasicPassword(string credentials)
    {
        var bytes = new byte[credentials.Length];
        if (!Convert.TryFromBase64String(credentials, bytes, out var length))
        {
            return "";
        }

        var pair = System.Text.Encoding.UTF8.GetString(bytes, 0, length);
        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? "" : pair[(colon + 1)..];
    }
}
