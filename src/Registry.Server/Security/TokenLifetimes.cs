using Microsoft.AspNetCore.Mvc;
using Registry.Server.Infrastructure;

namespace Registry.Server.Security;

/// <summary>
/// A request lives no longer than the token that let it in: watches end with a last event saying why, and a long
/// poll that was waiting answers 401 with the reason, as soon as the token is revoked or expires.
/// </summary>
internal static class TokenLifetimes
{
    public static IApplicationBuilder UseTokenLifetimes(this IApplicationBuilder app) =>
        app.Use((context, next) =>
            context.Token() is { } token && context.EndsWith(token) ? WhileTheTokenLivesAsync(context, next) : next(context));

    /// <summary>
    /// Ends <paramref name="context"/> when <paramref name="token"/> is revoked or expires (a surface that
    /// authenticates by itself calls this once it knows the token); false for a token that never ends.
    /// </summary>
    public static bool EndsWith(this HttpContext context, TokenRecord token)
    {
        if (context.RequestServices.GetRequiredService<TokenTable>().LifeOf(token) is not var (ends, reason))
        {
            return false;
        }

        context.EndEarlyWith(reason, ends);
        return true;
    }

    private static async Task WhileTheTokenLivesAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.EndedEarly() is { } ended && !context.Response.HasStarted)
        {
            context.AnswerableAgain();
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status401Unauthorized,
                    Title = "A valid token is required.",
                    Detail = ended.Detail + " The request was ended.",
                    Extensions = { [Problems.CodeMember] = "unauthorized", ["reason"] = ended.Code },
                },
            });
        }
    }
}
