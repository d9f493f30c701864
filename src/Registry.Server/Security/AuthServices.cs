using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Registry.Server.Infrastructure;

namespace Registry.Server.Security;

internal static class AuthServices
{
    /// <summary>
    /// With auth on: bearer tokens, one policy per role and namespace scope, and problem responses for
    /// refusals. With auth off every request would be granted, so none of that is registered; the endpoints
    /// keep their requirements (the OpenAPI document shows them) and nothing enforces them.
    /// </summary>
    public static IServiceCollection AddRegistryAuth(this IServiceCollection services, IConfiguration configuration)
    {
        // Refusals are recorded whichever way they come: the Nacos surface refuses a failed login with auth off too.
        services.AddSingleton<RefusalLog>();
        if (!configuration.GetValue<bool>($"{AuthOptions.Section}:{nameof(AuthOptions.Enabled)}"))
        {
            services.Configure<RouteOptions>(routing => routing.SuppressCheckForUnhandledSecurityMetadata = true);
            return services;
        }

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
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccessDeniedResponses>();
        return services;
    }

    /// <summary>Authentication and authorization, when auth is on; with auth off they are not in the pipeline.</summary>
    public static WebApplication UseRegistryAuth(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.Enabled)
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.UseTokenLifetimes();
        }

        return app;
    }
}
