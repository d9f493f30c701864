using Microsoft.Extensions.Options;
using Registry.Server.Security;
using Registry.Server.Storage;

namespace Registry.Server.Hosting;

/// <summary>
/// What an operator needs to know once the server listens: its version and addresses, where Swagger UI is, whether
/// auth is on, and where the data lives (and that <c>:memory:</c> keeps nothing).
/// </summary>
internal static partial class StartupBanner
{
    public static void Log(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupBanner).FullName!);
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var first = app.Urls.FirstOrDefault() ?? "";
        var store = storage.Clustered
            ? $"etcd at {storage.Etcd.Endpoints} (cluster mode)"
            : storage.InMemory ? ":memory: (nothing is kept after the server stops)" : Path.GetFullPath(storage.Path);
        var urls = string.Join(", ", app.Urls);
        var swagger = first.TrimEnd('/') + "/swagger";
        LogStarted(logger, ServerCommands.BuildVersion, urls, swagger, auth.Enabled ? "on" : "off", store);
    }

    [LoggerMessage(EventId = 1080, Level = LogLevel.Information,
        Message = "Registry {Version} listening on {Urls}; Swagger UI at {Swagger}; auth {Auth}; data: {Store}")]
    private static partial void LogStarted(ILogger logger, string version, string urls, string swagger, string auth, string store);
}
