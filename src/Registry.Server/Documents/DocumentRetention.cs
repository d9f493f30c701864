using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Documents;

/// <summary>
/// Age retention of a kind of document: removes history older than <see cref="MaxAge"/>, never a document's current
/// version. Count retention happens as each version is written.
/// </summary>
internal abstract partial class DocumentRetention<TKey, TBody>(
    DocumentTable<TKey, TBody> table, ChangeWriter writer, TimeProvider time, ILogger logger) : BackgroundService
    where TKey : struct, IDocumentKey
    where TBody : class
{
    /// <summary>Documents trimmed per change: each is a few operations of a store's transaction, which holds 128 at most.</summary>
    private const int DocumentsPerChange = 32;

    /// <summary>History older than this goes; zero keeps all.</summary>
    protected abstract TimeSpan MaxAge { get; }

    protected abstract TimeSpan Interval { get; }

    /// <summary>One pass: finds, per document, the newest version past the age limit, then lets history up to it go in one change.</summary>
    public async Task TrimAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow() - MaxAge;
        var trims = new List<(TKey Key, long Through)>();
        foreach (var (key, head) in table.All)
        {
            if (await table.AgedThroughAsync(key, head, cutoff, cancellationToken) is > 0 and var through)
            {
                trims.Add((key, through));
            }
        }

        if (trims.Count == 0)
        {
            return;
        }

        // In changes of a bounded size: a cluster store takes a limited number of operations per transaction.
        foreach (var batch in trims.Chunk(DocumentsPerChange))
        {
            await writer.WriteAsync(at =>
            {
                var proposal = new Proposal(at);
                foreach (var (key, through) in batch)
                {
                    // Decided again on the document as it is now: it may have moved on since the scan.
                    if (table.Find(key) is { } head && Math.Min(through + 1, head.Version) is var first && first > head.FirstVersion)
                    {
                        proposal.Add(table.Trim(key, head with { FirstVersion = first }, head.FirstVersion));
                    }
                }

                return proposal.Changes.Count == 0 ? 0 : proposal.Then(_ => proposal.Changes.Count);
            }, cancellationToken);
        }

        LogTrimmed(logger, trims.Count, table.Kind.Name);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (MaxAge <= TimeSpan.Zero)
        {
            return;
        }

        await Periodic.RunAsync(Interval, time, TrimAsync, ex => LogTrimFailed(logger, ex, table.Kind.Name), stoppingToken);
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Removed old history of {Count} {Kind} documents")]
    private static partial void LogTrimmed(ILogger logger, int count, string kind);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "History retention of {Kind} documents failed")]
    private static partial void LogTrimFailed(ILogger logger, Exception exception, string kind);
}
