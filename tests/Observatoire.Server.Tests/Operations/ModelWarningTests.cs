using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Observatoire.Data;

namespace Observatoire.Server.Tests.Operations;

/// <summary>The database model builds without a warning on either provider (a warning at every start is noise that hides real ones).</summary>
public class ModelWarningTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public void The_model_builds_without_a_warning(string provider)
    {
        using var logs = new Recorder();
        var builder = new DbContextOptionsBuilder<ObservatoireDbContext>().UseLoggerFactory(logs);
        var options = (provider == "Sqlite"
            ? builder.UseSqlite("Data Source=:memory:")
            : builder.UseNpgsql("Host=127.0.0.1;Database=none")).Options;
        using var db = new ObservatoireDbContext(options);

        Assert.NotNull(db.Model.FindEntityType(typeof(Data.Entities.GridRevision))?.GetIndexes().SingleOrDefault(i => i.GetFilter() is not null));
        Assert.Empty(logs.Warnings);
    }

    private sealed class Recorder : ILoggerFactory, ILoggerProvider, ILogger
    {
        private readonly List<string> _warnings = [];

        public IReadOnlyList<string> Warnings
        {
            get
            {
                lock (_warnings)
                {
                    return [.. _warnings];
                }
            }
        }

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning)
            {
                lock (_warnings)
                {
                    _warnings.Add($"{eventId}: {formatter(state, exception)}");
                }
            }
        }

        public void Dispose()
        {
        }
    }
}
