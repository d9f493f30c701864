namespace Registry.Server.Events;

/// <summary>The HTTP result of a watch endpoint: the watch's messages as a server-sent event stream.</summary>
internal sealed class EventStreamResult(Watch watch) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) =>
        httpContext.RequestServices.GetRequiredService<EventStream>()
            .WriteAsync(httpContext, watch, httpContext.RequestAborted);
}
