using System.Collections.Concurrent;
using LiteDB;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Storage;

internal sealed partial class LocalLog
{
    /// <summary>
    /// Folds durable entries into the LiteDB snapshot on a thread of its own, as many at a time as have gathered,
    /// and checkpoints it once the journal has grown, so the write path never waits for LiteDB. A fold the disk
    /// refuses is retried once a probe finds room again; until then reads of what only the snapshot holds are
    /// refused, and writes go on into the journal.
    /// </summary>
    private sealed class SnapshotFolder(LocalLog log) : IDisposable
    {
        private readonly ConcurrentQueue<LogEntry> _queue = new();
        private readonly SemaphoreSlim _signal = new(0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Lock _gate = new();
        private readonly Lock _waitersGate = new();
        private readonly List<(long Target, TaskCompletionSource Done)> _waiters = [];
        private readonly List<LogEntry> _unfolded = [];
        private LiteDbSnapshot _snapshot = null!;
        private Task _loop = Task.CompletedTask;
        private long _folded;
        private volatile Exception? _failure;
        private volatile bool _retry;

        public IDocumentReader Snapshot => _snapshot;

        /// <summary>The revision of the last entry folded in.</summary>
        public long Revision => Interlocked.Read(ref _folded);

        public void Open(LiteDbSnapshot snapshot)
        {
            _snapshot = snapshot;
            _folded = snapshot.Revision;
        }

        public void Start() => _loop = Task.Run(LoopAsync);

        public void Enqueue(IEnumerable<LogEntry> entries)
        {
            foreach (var entry in entries)
            {
                _queue.Enqueue(entry);
            }

            Wake();
        }

        /// <summary>Tries a failed fold again: called once the disk has room.</summary>
        public void Retry()
        {
            if (_failure is not null)
            {
                _retry = true;
                Wake();
            }
        }

        /// <summary>Completes once everything up to <paramref name="revision"/> is folded in.</summary>
        public Task CatchUpAsync(long revision, CancellationToken cancellationToken)
        {
            TaskCompletionSource done;
            lock (_waitersGate)
            {
                if (Revision >= revision)
                {
                    return Task.CompletedTask;
                }

                if (_failure is { } failure && !_retry)
                {
                    throw Unavailable(failure);
                }

                done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((revision, done));
            }

            Wake();
            return done.Task.WaitAsync(cancellationToken);
        }

        public long Backup(string path)
        {
            lock (_gate)
            {
                _snapshot.Backup(path);
                return _snapshot.Revision;
            }
        }

        /// <summary>Folds whatever is left, checkpoints, and closes the data file: the next start replays nothing.</summary>
        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            lock (_gate)
            {
                try
                {
                    FoldAll(checkpoint: true);
                }
                catch (Exception ex) when (ex is LiteException or IOException or UnauthorizedAccessException)
                {
                    // The journal keeps everything; it is replayed at the next start.
                    log.LogFoldFailed(ex);
                }

                _snapshot.Dispose();
            }

            Dispose();
        }

        public void Dispose()
        {
            _signal.Dispose();
            _stop.Dispose();
        }

        private void Wake()
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }

        private async Task LoopAsync()
        {
            while (true)
            {
                try
                {
                    await _signal.WaitAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                lock (_gate)
                {
                    try
                    {
                        FoldAll(checkpoint: false);
                    }
                    catch (Exception ex) when (ex is LiteException or IOException or UnauthorizedAccessException)
                    {
                        if (_failure is null)
                        {
                            log.LogFoldFailed(ex);
                        }

                        _failure = ex;
                        _retry = false;
                        FailWaiters(ex);
                    }
                }
            }
        }

        /// <summary>Called under the gate.</summary>
        private void FoldAll(bool checkpoint)
        {
            if (_failure is not null)
            {
                if (!_retry && !checkpoint)
                {
                    return;
                }

                Recover();
            }

            while (true)
            {
                // After a recovery the journal gave back entries the queue may hold too.
                var last = _unfolded.Count > 0 ? _unfolded[^1].Revision : _snapshot.Revision;
                while (_unfolded.Count < MaxFold && _queue.TryDequeue(out var entry))
                {
                    if (entry.Revision > last)
                    {
                        _unfolded.Add(entry);
                        last = entry.Revision;
                    }
                }

                if (_unfolded.Count == 0)
                {
                    break;
                }

                _snapshot.Fold(_unfolded);
                _unfolded.Clear();
                Interlocked.Exchange(ref _folded, _snapshot.Revision);
                CompleteWaiters();
            }

            if (log._journal is { } journal && (checkpoint || journal.PendingBytes >= log._options.JournalCheckpointBytes))
            {
                _snapshot.Checkpoint();
                journal.DropThrough(_snapshot.Revision);
            }

            if (_failure is not null)
            {
                log.LogFoldRecovered(_snapshot.Revision);
                _failure = null;
            }

            CompleteWaiters();
        }

        /// <summary>After a failed fold: LiteDB starts over from its file; what it lost is read back from the journal.</summary>
        private void Recover()
        {
            _retry = false;
            if (log._journal is not { } journal)
            {
                return;
            }

            _snapshot.Reopen();
            _unfolded.Clear();
            _unfolded.AddRange(journal.ReadAfter(_snapshot.Revision, log._codec));
            Interlocked.Exchange(ref _folded, _snapshot.Revision);
        }

        private void CompleteWaiters()
        {
            lock (_waitersGate)
            {
                var folded = Revision;
                for (var i = _waiters.Count - 1; i >= 0; i--)
                {
                    if (_waiters[i].Target <= folded)
                    {
                        _waiters[i].Done.TrySetResult();
                        _waiters.RemoveAt(i);
                    }
                }
            }
        }

        private void FailWaiters(Exception failure)
        {
            lock (_waitersGate)
            {
                foreach (var (_, done) in _waiters)
                {
                    done.TrySetException(Unavailable(failure));
                }

                _waiters.Clear();
            }
        }

        private static StoreUnavailableException Unavailable(Exception failure) => new(
            "The data file cannot be read now (the disk refuses the writes the read needs first); the current state is "
            + "still served from memory. Retry later.", failure);
    }

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "Folding the journal into the data file failed; the journal keeps every entry until it succeeds")]
    private partial void LogFoldFailed(Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "The data file takes the journal again, at revision {Revision}")]
    private partial void LogFoldRecovered(long revision);
}
