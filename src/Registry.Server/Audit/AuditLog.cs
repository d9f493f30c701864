using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Prometheus;
using Registry.Server.Infrastructure;
using Registry.Server.Log;
using Registry.Server.Security;

namespace Registry.Server.Audit;

/// <summary>
/// The audit log: changes are recorded by the entries that make them; refused requests, which an attacker can
/// produce at will, go through a bounded buffer and are appended in batches, so they can neither slow the server
/// down nor fill its memory. Entries older than the configured age are removed.
/// </summary>
internal sealed partial class AuditLog(
    IChangeLog log, ChangeWriter writer, MetricRegistry metrics, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditLog> logger)
    : BackgroundService, IRefusalRecorder
{
    private readonly Channel<AuditNote> _refusals = Channel.CreateBounded<AuditNote>(
        new BoundedChannelOptions(options.Value.FailureBuffer) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Counter _dropped = metrics.Factory.CreateCounter(
        "registry_audit_dropped_total", "Auth failures not written to the audit log because its buffer was full.");

    public void Record(Actor actor, string action, string ns, string target, string reason)
    {
        var note = new AuditNote(time.GetUtcNow(), actor, action, ns, target, AuditNote.Denied, reason, Revision: 0);
        if (!_refusals.Writer.TryWrite(note))
        {
            _dropped.Inc();
        }
    }

    /// <summary>Entries newest first that <paramref name="filter"/> accepts.</summary>
    public async Task<IEnumerable<AuditRecord>> NewestAsync(Func<AuditRecord, bool> filter, CancellationToken cancellationToken)
    {
        var store = await log.ReadStoreAsync(cancellationToken);
        return store.ScanDescending(AuditRecord.Collection.Name)
            .Select(document => AuditRecord.Collection.Deserialize(document.Value))
            .Where(filter);
    }

    /// <summary>Removes entries older than the configured age.</summary>
    public async Task TrimAsync(CancellationToken cancellationToken = default)
    {
        if (options.Value.MaxAge <= TimeSpan.Zero)
        {
            return;
        }

        var cutoff = AuditRecord.KeyPrefix(time.GetUtcNow() - options.Value.MaxAge);
        var store = await log.ReadStoreAsync(cancellationToken);
        if (store.Scan(AuditRecord.Collection.Name).FirstOrDefault() is { } oldest && string.CompareOrdinal(oldest.Key, cutoff) < 0)
        {
            await writer.WriteAsync(at => new Proposal(at).Add(new AuditTrimmed(cutoff)).Then(_ => true), cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = Periodic.RunAsync(options.Value.RetentionInterval, time, TrimAsync, ex => LogWriteFailed(ex, 0), stoppingToken);
        var batch = new List<AuditNote>();
        try
        {
            while (await _refusals.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < 1000 && _refusals.Reader.TryRead(out var note))
                {
                    batch.Add(note);
                }

                try
                {
                    await writer.WriteAsync(at =>
                    {
                        var proposal = new Proposal(at);
                        batch.ForEach(note => proposal.Audited(note));
                        return proposal.Then(_ => true);
                    }, stoppingToken);
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

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "Writing {Count} audit entries failed")]
    private partial void LogWriteFailed(Exception exception, int count);
}

/// <summary>Audit entries recorded before <see cref="Before"/> (a key prefix: the time in UTC ticks) removed.</summary>
internal sealed record AuditTrimmed(string Before) : Change
{
    public override string? Key() => null;

    public override void Materialize(IDocumentWriter writer, long revision) =>
        writer.DeleteRange(AuditRecord.Collection.Name, "", Before);

    public static readonly ChangeType[] Types = [ChangeType.Of("audit.trimmed", AuditJson.Default.AuditTrimmed)];
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AuditTrimmed))]
internal sealed partial class AuditJson : JsonSerializerContext;
