namespace Registry.Benchmarks.Ping;

/// <summary>
/// The baseline of the load benchmarks: Kestrel and a Minimal API endpoint returning a small JSON, with the
/// same host defaults as the registry server and nothing else, so a scenario's ratio to it shows what the
/// registry itself costs.
/// </summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        app.MapGet("/ping", () => TypedResults.Ok(new Pong("ok")));
        app.Run();
    }
}

internal sealed record Pong(string Status);
