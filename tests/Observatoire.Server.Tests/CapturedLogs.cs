using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Observatoire.Server.Tests;

/// <summary>A logger provider that keeps every enabled log entry (category, level, message, exception).</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    /// <summary>One log entry, with the exception's full text when there is one.</summary>
    public sealed record LogEntry(string Category, LogLevel Level, string Message, string? Exception)
    {
        public string Text => Exception is null ? Message : $"{Message}\n{Exception}";
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception?.ToString()));
    }
}
