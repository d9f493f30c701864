using Registry.Server.Infrastructure;

namespace Registry.Server.Security;

internal static class RequestActors
{
    /// <summary>
    /// Who sends <paramref name="request"/> — the name of its token; without one, the user header, else
    /// anonymous — and from which address.
    /// </summary>
    public static Actor From(HttpRequest request) => new(
        request.HttpContext.User.Identity is { IsAuthenticated: true, Name: { } token }
            ? token
            : request.PresentedToken()?.Name ?? RequestHeaders.Get(request, Actors.UserHeader) ?? Actor.Anonymous,
        request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "");
}
