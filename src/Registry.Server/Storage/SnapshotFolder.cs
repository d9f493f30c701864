using System.Collections.Concurrent;
using LiteDB;
using Registry.Server.Infrastructure;
using Registry.Server.Log;

namespace Registry.Server.Storage;

internal sealed partial class LocalLog
{
    /// <summary>
    /// Folds durable entries into the LiteDB snapshot on a task of its own, off the write path, and checkpoints it.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Folding waits for a reason, so it comes in large batches and never competes with a burst of writes: a read of
    /// what only the data file holds (history, audit), a backup, many entries gathered, the journal grown to its
    /// checkpoint size, or a moment without writes. A checkpoint takes the projections held whole (the naming tree)
    /// at a revision, folds every entry up to exactly that revision, writes both, makes the data file durable and
    /// drops the journal segments it now holds: the data file is then consistent at one revision.
    /// </para>
    /// <para>
    /// A fold the disk refuses is retried once a probe finds room again; until then reads of what only the data file
    /// holds are refused, and writes go on into the journal.
    /// </para>
    /// </remarks>
    private sealed class SnapshotFolder(LocalLog log, TimeProvider time) : IDisposable
    {
        /// <summary>Entries folded in one transaction at most.</summary>
        private const int MaxFold = 16_384;

        /// <summary>Entries that may wait in memory for a fold while writes go on.</summary>
        private const int MaxWaiting = 65_536;

        /// <summary>How long writes must pause before what gathered is folded and checkpointed.</summary>
        private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

        private readonly ConcurrentQueue<LogEntry> _queue = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Lock _gate = new();
        private readonly Lock _waitersGate = new();
        private readonly List<(long Target, TaskCompletionSource Done)> _waiters = [];
        private readonly List<LogEntry> _unfolded = [];
        private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private LiteDbSnapshot _snapshot = null!;
        private Task _loop = Task.CompletedTask;
        private long _folded;
        private int _queued;
        private long _lastEnqueued;

        // The first snapshot after a start is whole: a data file of an earlier version holds the naming tree change by
        // change, and one after a failed write may hold less than the projections think.
        private bool _wholeSnapshot = true;
        private volatile Exception? _failure;
        private volatile bool _retry;

        public IDocumentReader Snapshot => _snapshot;

        /// <summary>The revision of the last entry folded in.</summary>
        public long Revision => Interlocked.Read(ref _folded);

        /// <summary>Where the log's replay starts: what the data file does not hold whole yet.</summary>
        public long ReplayFrom => Math.Min(_snapshot.Revision, _snapshot.SnapshotRevision);

        public void Open(LiteDbSnapshot snapshot)
        {
            _snapshot = snapshot;
            _folded = snapshot.Revision;
        }

        public void Start() => _loop = Task.Run(LoopAsync);

        /// <summary>Takes durable entries in, before they are applied: a fold takes only those applied by then.</summary>
        public void Enqueue(LogEntry[] entries)
        {
            foreach (var entry in entries)
            {
                _queue.Enqueue(entry);
            }

            Interlocked.Exchange(ref _lastEnqueued, time.GetTimestamp());
            var queued = Interlocked.Add(ref _queued, entries.Length);

            // Only what changes what is due wakes the loop: the first entry to wait, or enough of them.
            if (queued == entries.Length || queued >= MaxWaiting && queued - entries.Length < MaxWaiting || CheckpointDue())
            {
                Wake();
            }
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
            if (_failure is not null && !_retry && Revision < revision)
            {
                // A fold failed (a full disk): see whether there is room now rather than at the next periodic probe.
                log.Probe();
            }

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

        /// <summary>Checkpoints, then copies the data file, consistent at one revision; returns it.</summary>
        public long Backup(string path)
        {
            lock (_gate)
            {
                Checkpoint();
                _snapshot.Backup(path);
                return _snapshot.Revision;
            }
        }

        /// <summary>Checkpoints and closes the data file: the next start replays nothing.</summary>
        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            lock (_gate)
            {
                try
                {
                    Recover();
                    Checkpoint();
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

        public void Dispose() => _stop.Dispose();

        private void Wake() => Volatile.Read(ref _wake).TrySetResult();

        private async Task LoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                var wake = Volatile.Read(ref _wake);
                try
                {
                    switch (Due())
                    {
                        case Work.Fold:
                            Run(checkpoint: false);
                            continue;
                        case Work.Checkpoint:
                            Run(checkpoint: true);
                            continue;
                        case Work.WhenQuiet when time.GetElapsedTime(Interlocked.Read(ref _lastEnqueued)) is var since && since < Quiet:
                            using (var timer = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
                            {
                                var quiet = Task.Delay(Quiet - since, time, timer.Token);
                                await Task.WhenAny(wake.Task, quiet);
                                await timer.CancelAsync();
                            }

                            break;
                        case Work.WhenQuiet:
                            Run(checkpoint: true);
                            continue;
                        default:
                            await wake.Task.WaitAsync(_stop.Token);
                            break;
                    }
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }

                Interlocked.CompareExchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), wake);
            }
        }

        /// <summary>What is due now, and how urgently.</summary>
        private Work Due()
        {
            if (_failure is not null)
            {
                return _retry ? Work.Checkpoint : Work.None;
            }

            lock (_waitersGate)
            {
                if (_waiters.Count > 0)
                {
                    return Work.Fold;
                }
            }

            if (CheckpointDue())
            {
                return Work.Checkpoint;
            }

            var queued = Volatile.Read(ref _queued);
            return queued >= MaxWaiting ? Work.Fold : queued > 0 ? Work.WhenQuiet : Work.None;
        }

        private bool CheckpointDue() => log._journal is { } journal && journal.PendingBytes >= log._options.JournalCheckpointBytes;

        private void Run(bool checkpoint)
        {
            lock (_gate)
            {
                try
                {
                    Recover();
                    if (checkpoint)
                    {
                        Checkpoint();
                    }
                    else
                    {
                        Fold(log.Revision);
                    }

                    if (_failure is not null)
                    {
                        log.LogFoldRecovered(_snapshot.Revision);
                        _failure = null;
                    }
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

        /// <summary>
        /// Called under the gate: takes the projections held whole at the applied revision, folds every entry up to
        /// exactly it, writes the snapshot and makes the data file durable; the journal then lets go of all of it.
        /// </summary>
        private void Checkpoint()
        {
            var capture = log._sink.Capture(full: _wholeSnapshot);
            Fold(capture.Revision);
            _wholeSnapshot = true;
            _snapshot.WriteSnapshot(capture);
            _wholeSnapshot = false;
            _snapshot.Checkpoint();
            log._journal?.DropThrough(capture.Revision);
        }

        /// <summary>Called under the gate: folds what is queued, up to <paramref name="through"/> (applied entries only).</summary>
        private void Fold(long through)
        {
            while (true)
            {
                // After a recovery the journal gave back entries the queue may hold too.
                var last = _unfolded.Count > 0 ? _unfolded[^1].Revision : _snapshot.Revision;
                while (_unfolded.Count < MaxFold && _queue.TryPeek(out var next) && next.Revision <= through && _queue.TryDequeue(out var entry))
                {
                    Interlocked.Decrement(ref _queued);
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

            CompleteWaiters();
        }

        /// <summary>After a failed fold: LiteDB starts over from its file; what it lost is read back from the journal.</summary>
        private void Recover()
        {
            if (_failure is null)
            {
                return;
            }

            _retry = false;
            _wholeSnapshot = true;
            if (log._journal is not { } journal)
            {
                return;
            }

            _snapshot.Reopen();
            _unfolded.Clear();
            _unfolded.AddRange(journal.ReadAfter(_snapshot.Revision, log._codec).Where(entry => entry.Revision <= log.Revision));
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

        private enum Work
        {
            None,
            WhenQuiet,
            Fold,
            Checkpoint,
        }
    }

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "Folding the journal into the data file failed; the journal keeps every entry until it succeeds")]
    private partial void LogFoldFailed(Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "The data file takes the journal again, at revision {Revision}")]
    private partial void LogFoldRecovered(long revision);
}
