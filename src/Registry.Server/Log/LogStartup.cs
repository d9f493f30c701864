namespace Registry.Server.Log;

/// <summary>
/// Opens the log into the projections before anything else starts (the sweeper, then the HTTP server), so the first
/// request already sees every registration and no lease starts before the server does.
/// </summary>
internal sealed class LogStartup(IChangeLog log, ProjectionSet projections) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => log.OpenAsync(projections, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
