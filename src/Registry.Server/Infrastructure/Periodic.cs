namespace Registry.Server.Infrastructure;

/// <summary>Background work on a timer of the injected clock (sweeps, retention).</summary>
internal static class Periodic
{
    /// <summary>
    /// Runs <paramref name="work"/> at every tick until <paramref name="stoppingToken"/>; a failed run is handed
    /// to <paramref name="failed"/> and the next tick tries again.
    /// </summary>
    public static async Task RunAsync(
        TimeSpan interval, TimeProvider time, Func<CancellationToken, Task> work, Action<Exception> failed, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await work(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
