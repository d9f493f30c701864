namespace Registry.Server.Storage;

/// <summary>A part of the in-memory model that is built from the store at start.</summary>
internal interface IStoreLoadable
{
    void Load(IRegistryStore store, DateTimeOffset now);
}

/// <summary>
/// Builds memory from the store before anything else starts (the sweeper, then the HTTP server), so the
/// first request already sees every registration and no lease starts before the server does.
/// </summary>
internal sealed partial class StoreLoader(
    IRegistryStore store, IEnumerable<IStoreLoadable> parts, TimeProvider time, ILogger<StoreLoader> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var now = time.GetUtcNow();
        foreach (var part in parts)
        {
            part.Load(store, now);
        }

        var elapsed = time.GetElapsedTime(started);
        LogLoaded(store.LastRevision, elapsed.TotalMilliseconds);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information,
        Message = "Loaded the registry at revision {Revision} in {ElapsedMs:F0} ms")]
    private partial void LogLoaded(long revision, double elapsedMs);
}
