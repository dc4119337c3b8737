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
        using var logs = new CapturedLogs();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var builder = new DbContextOptionsBuilder<ObservatoireDbContext>().UseLoggerFactory(factory);
        var options = (provider == "Sqlite"
            ? builder.UseSqlite("Data Source=:memory:")
            : builder.UseNpgsql("Host=127.0.0.1;Database=none")).Options;
        using var db = new ObservatoireDbContext(options);

        // Built whole: the revisions' unique numbers, through which the current revision (the highest) is read.
        var revisions = db.Model.FindEntityType(typeof(Data.Entities.GridRevision));
        Assert.NotNull(revisions);
        Assert.Contains(revisions.GetIndexes(), i => i.IsUnique && i.Properties.Select(p => p.Name).SequenceEqual(["PostId", "Period", "Revision"]));
        Assert.Empty(logs.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => e.Text));
    }
}
