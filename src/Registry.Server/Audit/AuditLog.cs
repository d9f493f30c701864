using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Registry.Server.Infrastructure;
using Registry.Server.Metrics;
using Registry.Server.Storage;

namespace Registry.Server.Audit;

/// <summary>
/// The audit log in the store. Changes are recorded durably before their response goes out; auth failures,
/// which an attacker can produce at will, go through a bounded buffer and are written in batches, so they
/// can neither slow the server down nor fill its memory.
/// </summary>
internal sealed partial class AuditLog(
    IRegistryStore store, Committer committer, RegistryMetrics metrics, IOptions<AuditOptions> options, TimeProvider time,
    ILogger<AuditLog> logger)
    : BackgroundService
{
    private readonly Channel<AuditRecord> _failures = Channel.CreateBounded<AuditRecord>(
        new BoundedChannelOptions(options.Value.FailureBuffer) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private long _sequence;
    private long _dropped;

    /// <summary>Auth failures that were not stored because the buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var record = new AuditRecord(
            time.GetUtcNow(), entry.Actor.Name, entry.Actor.SourceAddress, entry.Action, entry.Namespace, entry.Target,
            AuditRecord.Ok, entry.Detail, entry.Revision);
        return committer.ExecuteAsync(changes => Put(changes, record), cancellationToken);
    }

    public void RecordFailure(string actor, string address, string action, string ns, string target, string detail)
    {
        var record = new AuditRecord(time.GetUtcNow(), actor, address, action, ns, target, AuditRecord.Denied, detail, 0);
        if (!_failures.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _dropped);
            metrics.AuditDropped.Inc();
        }
    }

    /// <summary>Entries newest first that <paramref name="filter"/> accepts.</summary>
    public IEnumerable<AuditRecord> Newest(Func<AuditRecord, bool> filter) =>
        store.ScanDescending(AuditRecord.Collection.Name)
            .Select(document => AuditRecord.Collection.Deserialize(document.Value))
            .Where(filter);

    /// <summary>Removes entries older than the configured age.</summary>
    public async Task TrimAsync(CancellationToken cancellationToken = default)
    {
        if (options.Value.MaxAge <= TimeSpan.Zero)
        {
            return;
        }

        var cutoff = KeyPrefix(time.GetUtcNow() - options.Value.MaxAge);
        var old = store.Scan(AuditRecord.Collection.Name)
            .Select(document => document.Key)
            .TakeWhile(key => string.CompareOrdinal(key, cutoff) < 0)
            .ToList();
        if (old.Count > 0)
        {
            await committer.ExecuteAsync(changes =>
            {
                foreach (var key in old)
                {
                    changes.Delete(AuditRecord.Collection, key);
                }

                return true;
            }, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = RetainAsync(stoppingToken);
        var batch = new List<AuditRecord>();
        try
        {
            while (await _failures.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < 1000 && _failures.Reader.TryRead(out var record))
                {
                    batch.Add(record);
                }

                try
                {
                    await committer.ExecuteAsync(changes => batch.All(record => Put(changes, record)), stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogWriteFailed(ex, batch.Count);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }

        await retention;
    }

    private Task RetainAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync(options.Value.RetentionInterval, time, TrimAsync, ex => LogWriteFailed(ex, 0), stoppingToken);

    private bool Put(ChangeSet changes, AuditRecord record)
    {
        var key = $"{KeyPrefix(record.Time)}-{Interlocked.Increment(ref _sequence).ToString("D12", CultureInfo.InvariantCulture)}";
        changes.Create(AuditRecord.Collection, key, record);
        return true;
    }

    private static string KeyPrefix(DateTimeOffset time) => time.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "Writing {Count} audit entries failed")]
    private partial void LogWriteFailed(Exception exception, int count);
}
