namespace Registry.Benchmarks.Ping;

/// <summary>
/// The baseline of the load benchmarks: bare Kestrel answering <c>/ping</c> with a small JSON. Every ratio the
/// benchmark reports is to this app, so it must cost as little as Kestrel allows: a slower baseline (full host
/// defaults, a log line per request, a serialized result) would make every ratio look better than it is.
/// </summary>
internal static class Program
{
    private static readonly byte[] Pong = """{"status":"ok"}"""u8.ToArray();

    private static void Main(string[] args)
    {
        // The slim builder leaves out what a baseline must not pay for (hosting startup assemblies, IIS
        // integration, static web assets); with no logging providers no request writes a log line.
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        var app = builder.Build();

        // A RequestDelegate is mapped as is: no parameter binding, no result serialization.
        app.MapGet("/ping", (RequestDelegate)WritePongAsync);
        app.Run();
    }

    private static Task WritePongAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = Pong.Length;
        return context.Response.Body.WriteAsync(Pong, context.RequestAborted).AsTask();
    }
}
