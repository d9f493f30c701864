using System.Collections.Frozen;
using System.Reflection;

namespace Registry.Server.AdminConsole;

/// <summary>
/// The admin console at <c>/console</c>: static assets compiled into the server (no CDN, no front-end build step),
/// speaking to the same HTTP API as every other client. Each asset is read once and served with its ETag.
/// </summary>
internal static class ConsoleEndpoints
{
    private const string Prefix = "Registry.Server.AdminConsole.Assets.";

    /// <summary>
    /// The console runs its own scripts and talks to its own origin only: no inline script, nothing from elsewhere,
    /// never inside another site's frame. Downloads (backups) are blob URLs.
    /// </summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data: blob:; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, string> MediaTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    }.ToFrozenDictionary();

    private static readonly Lazy<FrozenDictionary<string, (byte[] Body, string MediaType, string ETag)>> Assets = new(Load);

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        // "/console" and "/console/" are the page itself; its assets are named by absolute paths.
        app.MapMethods("/console/{**asset}", [HttpMethods.Get, HttpMethods.Head], Serve).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(string? asset, HttpRequest request)
    {
        if (!Assets.Value.TryGetValue(string.IsNullOrEmpty(asset) ? "index.html" : asset, out var found))
        {
            return Results.NotFound();
        }

        if (request.Headers.IfNoneMatch == found.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var headers = request.HttpContext.Response.Headers;
        headers.ETag = found.ETag;
        headers.CacheControl = "no-cache";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return Results.Bytes(found.Body, found.MediaType);
    }

    private static FrozenDictionary<string, (byte[] Body, string MediaType, string ETag)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var assets = new Dictionary<string, (byte[], string, string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(static n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var body = copy.ToArray();
            var file = name[Prefix.Length..];
            var etag = $"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body), 0, 8)}\"";
            assets[file] = (body, MediaTypes.GetValueOrDefault(Path.GetExtension(file), "application/octet-stream"), etag);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
