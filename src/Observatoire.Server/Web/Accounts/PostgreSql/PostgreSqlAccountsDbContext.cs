using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Observatoire.Data.PostgreSql;

namespace Observatoire.Server.Web.Accounts;

/// <summary>
/// The accounts on PostgreSQL: the same model as <see cref="AccountsDbContext"/>, a type of its own so that its
/// migrations (PostgreSql/Migrations) are told apart from SQLite's (EF Core's pattern: one context type per provider).
/// </summary>
public sealed class PostgreSqlAccountsDbContext(DbContextOptions<PostgreSqlAccountsDbContext> options) : AccountsDbContext(options)
{
}

/// <summary>For `dotnet ef migrations add NAME --context PostgreSqlAccountsDbContext --output-dir Web/Accounts/PostgreSql/Migrations`.</summary>
internal sealed class PostgreSqlAccountsDbContextFactory : IDesignTimeDbContextFactory<PostgreSqlAccountsDbContext>
{
    public PostgreSqlAccountsDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgreSqlAccountsDbContext>();
        options.UseObservatoirePostgreSql(
            "Host=localhost;Database=observatoire_design", AccountsDbContext.MigrationsHistoryTable, typeof(PostgreSqlAccountsDbContext).Assembly.GetName().Name);
        return new PostgreSqlAccountsDbContext(options.Options);
    }
}
