using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Registry.Client.Tests;

/// <summary>A log entry as an app's logging provider receives it.</summary>
internal sealed record LogRecord(string Category, LogLevel Level, int Id, string Message, Exception? Exception);

/// <summary>A logging provider that keeps every entry, for tests of what an app using the client logs.</summary>
internal sealed class LogCollector : ILoggerProvider
{
    public ConcurrentQueue<LogRecord> Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Records);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogRecord> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            records.Enqueue(new LogRecord(category, logLevel, eventId.Id, formatter(state, exception), exception));
    }
}
