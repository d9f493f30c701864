using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Registry.Server.Security;

internal static class AuthServices
{
    /// <summary>Bearer tokens, one policy per role and namespace scope, and problem responses for refusals.</summary>
    public static IServiceCollection AddRegistryAuth(this IServiceCollection services)
    {
        services.AddAuthentication(TokenAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthentication>(TokenAuthentication.SchemeName, _ => { });
        services.AddAuthorization(options =>
        {
            foreach (var requirement in AccessRequirement.All)
            {
                options.AddPolicy(requirement.PolicyName, policy => policy.AddRequirements(requirement));
            }
        });
        services.AddSingleton<IAuthorizationHandler, AccessHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AccessDeniedResponses>();
        return services;
    }
}
