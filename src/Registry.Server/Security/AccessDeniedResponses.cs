using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;
using Registry.Server.Infrastructure;

namespace Registry.Server.Security;

/// <summary>
/// Answers a refused request with a problem that says why — 401 without a valid token, 403 without the role
/// or the namespace — and records the refusal (<see cref="RefusalLog"/>).
/// </summary>
internal sealed class AccessDeniedResponses(IProblemDetailsService problems, RefusalLog refusals) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Succeeded || !(result.Challenged || result.Forbidden))
        {
            await _default.HandleAsync(next, context, policy, result);
            return;
        }

        // Why the token was not taken: the handler's result for this request (the feature holds successes only).
        var failure = result.Challenged ? (await context.AuthenticateAsync(TokenAuthentication.SchemeName)).Failure : null;
        var (status, code, title, detail) = result.Challenged
            ? (StatusCodes.Status401Unauthorized, "unauthorized", "A valid token is required.",
                failure?.Message ?? "Send a token as 'Authorization: Bearer <token>'.")
            : (StatusCodes.Status403Forbidden, "forbidden", "The token does not allow this.",
                string.Join(" ", result.AuthorizationFailure?.FailureReasons.Select(reason => reason.Message) ?? []));
        // A route over several or all namespaces (listings, tokens, audit, backups) is not refused in the default one.
        var ns = policy.Requirements.OfType<AccessRequirement>().Any(r => r.Scope != NamespaceScope.Request)
            ? TokenRules.AllNamespaces
            : AccessHandler.RequestNamespace(context);
        refusals.Record(context, status, context.Token()?.Name ?? Actor.Anonymous, ns, detail);

        if (result.Challenged)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = title,
                Detail = detail,
                Extensions = { [Problems.CodeMember] = code },
            },
        });
    }
}
