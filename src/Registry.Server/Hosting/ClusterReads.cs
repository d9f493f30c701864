using System.Globalization;
using Registry.Contracts;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Hosting;

/// <summary>
/// What reads of a node say about the log behind them: a read may ask for at least a revision (a write's, made on any
/// node) and waits, bounded, until this node has applied it; so does a watch resumed from an event id, in a cluster;
/// a node that lost its store marks every answer stale.
/// </summary>
internal static class ClusterReads
{
    /// <summary>How long a read waits for a revision this node has not applied yet.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);

    public static WebApplication UseClusterReads(this WebApplication app)
    {
        var log = app.Services.GetRequiredService<IChangeLog>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        var clustered = app.Services.GetRequiredService<IClusterNodes>().Self is not null;
        app.Use(async (context, next) =>
        {
            // Set as the response starts: an error handler clears the headers set before it. A single node is never stale.
            if (clustered)
            {
                context.Response.OnStarting(static state =>
                {
                    var (response, log) = ((HttpResponse, IChangeLog))state;
                    if (log.Health.Stale)
                    {
                        response.Headers[RegistryHeaders.Stale] = "true";
                    }

                    return Task.CompletedTask;
                }, (context.Response, log));
            }

            if (context.Request.Headers[RegistryHeaders.MinRevision] is [{ } wanted])
            {
                if (!long.TryParse(wanted, NumberStyles.None, CultureInfo.InvariantCulture, out var revision))
                {
                    var rule = $"{RegistryHeaders.MinRevision} must be a revision: a whole number of zero or more, such as a write's {RegistryHeaders.Revision}.";
                    await new Failure(StatusCodes.Status400BadRequest, "validation-failed", "The request is not valid.", rule,
                            new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [RegistryHeaders.MinRevision] = [rule] } })
                        .ToProblem().ExecuteAsync(context);
                    return;
                }

                if (!await ReachedAsync(log, revision, time, context.RequestAborted))
                {
                    context.Response.Headers.RetryAfter = "1";
                    await new Failure(StatusCodes.Status503ServiceUnavailable, "revision-not-reached", "This node is behind the revision asked for.",
                            string.Create(CultureInfo.InvariantCulture,
                                $"This node has applied revision {log.Revision}, not yet {revision}, after waiting {MaxWait.TotalSeconds:F0} s. Retry, or read from another node."))
                        .ToProblem().ExecuteAsync(context);
                    return;
                }
            }

            // A watch resumed on this node after another one's death may name an event this node is about to apply:
            // it waits for it rather than answering with a reset.
            if (clustered && LastEventId(context.Request) is { } lastEventId)
            {
                await ReachedAsync(log, lastEventId, time, context.RequestAborted);
            }

            await next(context);
        });
        return app;
    }

    /// <summary>The event id a watch resumes from, if it is one; the query is parsed only when it names one.</summary>
    private static long? LastEventId(HttpRequest request)
    {
        var id = request.Headers["Last-Event-ID"] is [{ } header] ? header
            : request.QueryString.Value?.Contains("lastEventId", StringComparison.Ordinal) == true && request.Query["lastEventId"] is [{ } query] ? query
            : null;
        return long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : null;
    }

    private static async Task<bool> ReachedAsync(IChangeLog log, long revision, TimeProvider time, CancellationToken cancellationToken)
    {
        if (log.Revision >= revision)
        {
            return true;
        }

        using var timeout = new CancellationTokenSource(MaxWait, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await log.WaitForAsync(revision, bounded.Token);
            return true;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
