using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;

namespace Registry.Server.Infrastructure;

/// <summary>
/// Keeps open connections below what the process's file-descriptor limit allows, with room left for the data files,
/// the journal and the runtime: a connection beyond the cap is closed as soon as it is accepted, and those already
/// open go on being served. Without it, idle connections alone exhaust the descriptors and the runtime aborts.
/// </summary>
internal sealed partial class ConnectionGate(int max, ILogger<ConnectionGate> logger)
{
    private const int MinConnections = 64;
    private int _open;
    private int _warned;
    private long _shed;

    public int Max { get; } = max;

    /// <summary>Connections closed at once because the cap was reached.</summary>
    public long Shed => Interlocked.Read(ref _shed);

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        if (Interlocked.Increment(ref _open) > Max)
        {
            Interlocked.Decrement(ref _open);
            Interlocked.Increment(ref _shed);
            if (Interlocked.Exchange(ref _warned, 1) == 0)
            {
                LogCapReached(Max);
            }

            connection.Abort(new ConnectionAbortedException("The server holds as many connections as it may."));
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            // Below the cap again: the next time it is reached is worth one more line.
            if (Interlocked.Decrement(ref _open) < Max * 9 / 10)
            {
                Interlocked.Exchange(ref _warned, 0);
            }
        }
    };

    /// <summary>
    /// The cap: what the descriptor limit leaves once the descriptors open now (the runtime keeps every loaded
    /// assembly open: some 250) and a reserve for what opens later (assemblies, data files, journal segments, backups:
    /// an eighth of the limit, 128 to 1,024, and the <paramref name="outbound"/> sockets the server opens itself) are set
    /// aside; <paramref name="configured"/> when it is lower.
    /// </summary>
    public static int Cap(int configured, long fileLimit, int openNow, int outbound)
    {
        var reserve = Math.Clamp(fileLimit / 8, 128, 1024) + outbound;
        var left = fileLimit - openNow - reserve;
        if (left < MinConnections)
        {
            throw new StartupException(
                $"The file-descriptor limit ({fileLimit}) is too low: the server has {openNow} open at start and needs "
                + $"{reserve} more for its files and at least {MinConnections} for connections. Raise it (ulimit -n, LimitNOFILE) to 4096 or more.");
        }

        var derived = (int)Math.Min(left, int.MaxValue);
        return configured > 0 ? Math.Min(configured, derived) : derived;
    }

    /// <summary>Descriptors the process has open now; 0 where that cannot be read.</summary>
    public static int OpenDescriptors()
    {
        try
        {
            return OperatingSystem.IsLinux() ? Directory.GetFileSystemEntries("/proc/self/fd").Length : 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Raises the soft descriptor limit to the hard one, as servers do (the soft default of 1,024 is for interactive
    /// shells); returns the soft limit in force, or null where it cannot be read.
    /// </summary>
    public static long? RaiseFileLimit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        if (Native.getrlimit(Native.RlimitNofile, out var limit) != 0)
        {
            return null;
        }

        if (limit.Current < limit.Maximum)
        {
            var raised = limit with { Current = limit.Maximum };
            if (Native.setrlimit(Native.RlimitNofile, in raised) == 0)
            {
                return (long)Math.Min(raised.Current, long.MaxValue);
            }
        }

        return (long)Math.Min(limit.Current, long.MaxValue);
    }

    [LoggerMessage(EventId = 1050, Level = LogLevel.Warning,
        Message = "The server holds {Max} connections, as many as its file-descriptor limit allows; new ones are closed until some end")]
    private partial void LogCapReached(int max);

    private static partial class Native
    {
        public const int RlimitNofile = 7;

        [StructLayout(LayoutKind.Sequential)]
        public readonly record struct RLimit(ulong Current, ulong Maximum);

        [DllImport("libc", SetLastError = true)]
        public static extern int getrlimit(int resource, out RLimit limit);

        [DllImport("libc", SetLastError = true)]
        public static extern int setrlimit(int resource, in RLimit limit);
    }
}
