using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Observatoire.Data.PostgreSql;

/// <summary>
/// For `dotnet ef migrations add NAME --project src/Observatoire.Data.PostgreSql`: the PostgreSQL model (no server
/// is contacted to generate a migration).
/// </summary>
public sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<ObservatoireDbContext>
{
    public ObservatoireDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<ObservatoireDbContext>();
        options.UseObservatoirePostgreSql("Host=localhost;Database=observatoire_design");
        return new ObservatoireDbContext(options.Options);
    }
}
