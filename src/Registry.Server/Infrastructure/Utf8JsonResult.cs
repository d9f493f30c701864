namespace Registry.Server.Infrastructure;

/// <summary>
/// A 200 with a JSON body serialized ahead of time (once per revision, shared by every reader) and written as
/// it is. The endpoint declares the body's type with <c>Produces&lt;T&gt;</c> for the OpenAPI document.
/// </summary>
internal sealed class Utf8JsonResult(ReadOnlyMemory<byte> body) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string MediaType = "application/json; charset=utf-8";

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => MediaType;

    public ReadOnlyMemory<byte> Body => body;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = MediaType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
    }
}
