using System.Threading.Channels;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Registry.Server.Events;
using Registry.Server.Metrics;

namespace Registry.Server.Storage;

/// <summary>
/// The single writer of the registry. Mutations queue up and run one at a time on the writer loop, against
/// memory, in revision order; the loop then makes everything they wrote durable in one store commit (group
/// commit) and only then completes their tasks. If the commit fails, memory is rolled back and every
/// mutation of the batch fails with <see cref="StoreUnavailableException"/>. Durable batches' events go to
/// the <see cref="ChangeFeed"/> in revision order.
/// </summary>
/// <remarks>
/// Readers may see a mutation's effect on memory for the duration of its batch's fsync before the writer is
/// acknowledged; nothing is acknowledged, and no revision is published, before it is durable.
/// </remarks>
internal sealed partial class Committer : IAsyncDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly IRegistryStore _store;
    private readonly ChangeFeed _feed;
    private readonly RegistryMetrics? _metrics;
    private readonly ILogger<Committer> _logger;
    private readonly int _maxBatchSize;
    private readonly ChangeSet _changes;
    private readonly Task _loop;
    private long _revision;
    private volatile bool _healthy = true;

    public Committer(
        IRegistryStore store, ChangeFeed feed, IOptions<StorageOptions> options, ILogger<Committer> logger, RegistryMetrics? metrics = null)
    {
        _store = store;
        _feed = feed;
        _metrics = metrics;
        _logger = logger;
        _maxBatchSize = options.Value.MaxBatchSize;
        _revision = store.LastRevision;
        _changes = new ChangeSet(_revision);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The last durable revision.</summary>
    public long Revision => Interlocked.Read(ref _revision);

    /// <summary>False after a commit failed, until one succeeds again.</summary>
    public bool IsHealthy => _healthy;

    /// <summary>
    /// Runs <paramref name="mutation"/> on the writer loop and completes when its writes are durable.
    /// A mutation must only touch memory (never block) and register an undo for each change it makes.
    /// </summary>
    public Task<T> ExecuteAsync<T>(Func<ChangeSet, T> mutation, CancellationToken cancellationToken = default)
    {
        var pending = new Pending<T>(mutation, cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new StoreUnavailableException("The registry is shutting down; the change was not applied.");
        }

        return pending.Task;
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the writer loop between batches: everything before it is durable, and
    /// nothing changes while it runs. For work that needs a still store, such as a backup.
    /// </summary>
    public Task<T> ExclusiveAsync<T>(Func<T> action, CancellationToken cancellationToken = default)
    {
        var pending = new Exclusive<T>(action, cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new StoreUnavailableException("The registry is shutting down; the change was not applied.");
        }

        return pending.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>();
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatchSize && reader.TryRead(out var pending))
            {
                if (pending is IExclusive exclusive)
                {
                    Commit(batch);
                    batch.Clear();
                    exclusive.RunAlone();
                    continue;
                }

                var mark = _changes.Save();
                try
                {
                    if (pending.Run(_changes))
                    {
                        batch.Add(pending);
                    }
                }
                catch (Exception ex)
                {
                    _changes.RollbackTo(mark);
                    pending.Fail(ex);
                }
            }

            Commit(batch);
            batch.Clear();
        }
    }

    private void Commit(List<Pending> batch)
    {
        if (!_changes.IsEmpty)
        {
            var started = Stopwatch.GetTimestamp();
            var storeBatch = _changes.ToBatch();
            try
            {
                _store.Commit(storeBatch);
                _metrics?.Commits.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
                _metrics?.CommitWrites.Observe(storeBatch.Writes.Count);
            }
            catch (Exception ex)
            {
                _metrics?.CommitFailures.Inc();

                // The first failure with its stack trace; while the store stays down, one line per batch.
                if (_healthy)
                {
                    LogCommitFailed(ex, batch.Count);
                }
                else
                {
                    LogCommitStillFailing(batch.Count, ex.Message);
                }

                _healthy = false;
                _changes.RollbackAll();
                var failure = new StoreUnavailableException(
                    "The change could not be made durable and was not applied. Reads keep working; retry the write later.", ex);
                foreach (var pending in batch)
                {
                    pending.Fail(failure);
                }

                return;
            }

            // Only a batch that reached the store says it works again (an empty one, before a backup, does not).
            if (!_healthy)
            {
                LogCommitsRecovered(_changes.Revision);
                _healthy = true;
            }
        }

        Interlocked.Exchange(ref _revision, _changes.Revision);
        var (committed, events) = _changes.Complete();
        _feed.Append(events, _revision);
        foreach (var action in committed)
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                LogAfterCommitFailed(ex);
            }
        }

        foreach (var pending in batch)
        {
            pending.Complete();
        }
    }

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error,
        Message = "Store commit failed; {Count} writes were rolled back and refused")]
    private partial void LogCommitFailed(Exception exception, int count);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning,
        Message = "Store commit failed again; {Count} writes were rolled back and refused: {Reason}")]
    private partial void LogCommitStillFailing(int count, string reason);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "Store commits succeed again, at revision {Revision}")]
    private partial void LogCommitsRecovered(long revision);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Error, Message = "An after-commit action failed")]
    private partial void LogAfterCommitFailed(Exception exception);

    private interface IExclusive
    {
        void RunAlone();
    }

    private sealed class Exclusive<T>(Func<T> action, CancellationToken cancellationToken) : Pending, IExclusive
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _completion.Task;

        public void RunAlone()
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _completion.TrySetCanceled(cancellationToken);
                return;
            }

            try
            {
                _completion.TrySetResult(action());
            }
            catch (Exception ex)
            {
                _completion.TrySetException(ex);
            }
        }

        public override bool Run(ChangeSet changes) => throw new InvalidOperationException("Runs alone, not in a batch.");

        public override void Complete()
        {
        }

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }

    private abstract class Pending
    {
        /// <summary>Runs the mutation; false when it was cancelled before it could run.</summary>
        public abstract bool Run(ChangeSet changes);

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class Pending<T>(Func<ChangeSet, T> mutation, CancellationToken cancellationToken) : Pending
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _completion.Task;

        public override bool Run(ChangeSet changes)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _completion.TrySetCanceled(cancellationToken);
                return false;
            }

            _result = mutation(changes);
            return true;
        }

        public override void Complete() => _completion.TrySetResult(_result);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
