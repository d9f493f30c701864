using Registry.Server.Infrastructure;

namespace Registry.Server.Security;

/// <summary>Where refusals go to be recorded for good: the audit log.</summary>
internal interface IRefusalRecorder
{
    void Record(Actor actor, string action, string ns, string target, string reason);
}

/// <summary>
/// Every refused request, whichever surface refused it (native, Nacos, Eureka): a warning with event id 4001
/// and a <c>denied</c> entry in the audit log — who, from where, what and why.
/// </summary>
internal sealed partial class RefusalLog(IRefusalRecorder recorder, ILogger<RefusalLog> logger)
{
    public void Record(HttpContext context, int status, string actor, string ns, string reason)
    {
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "";
        LogDenied(status, context.Request.Method, context.Request.Path, actor, address, reason);
        recorder.Record(new Actor(actor, address), "auth.denied", ns, $"{context.Request.Method} {context.Request.Path}", reason);
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "Refused {Status} {Method} {Path} for {Actor} from {Address}: {Reason}")]
    private partial void LogDenied(int status, string method, PathString path, string actor, string address, string reason);
}
