using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Observatoire.Server.Tests;

/// <summary>A logger provider that keeps every enabled log entry (category, level, message, exception, scopes).</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    /// <summary>The factory's scopes (request, trace and span ids among them), as the JSON console writes them.</summary>
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    /// <summary>One log entry, with the exception's full text when there is one, and the text of its scopes.</summary>
    public sealed record LogEntry(string Category, LogLevel Level, string Message, string? Exception, IReadOnlyList<string> Scopes)
    {
        public string Text => Exception is null ? Message : $"{Message}\n{Exception}";

        /// <summary>Everything a sink would write: message, exception and every scope's values.</summary>
        public string AllText => string.Join('\n', [Text, .. Scopes]);
    }

    private sealed class Logger(string category, CapturedLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            owner._scopes.ForEachScope((scope, list) => list.Add(Describe(scope)), scopes);
            owner._entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception?.ToString(), scopes));
        }

        private static string Describe(object? scope) => scope switch
        {
            null => "",
            IEnumerable<KeyValuePair<string, object?>> values => string.Join(' ', values.Select(v => $"{v.Key}={v.Value}")) + " " + scope,
            _ => scope.ToString() ?? "",
        };
    }
}
