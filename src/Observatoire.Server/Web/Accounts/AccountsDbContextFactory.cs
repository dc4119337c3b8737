using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Observatoire.Server.Web.Accounts;

/// <summary>For `dotnet ef migrations add ... --context AccountsDbContext` only.</summary>
internal sealed class AccountsDbContextFactory : IDesignTimeDbContextFactory<AccountsDbContext>
{
    public AccountsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AccountsDbContext>()
            .UseSqlite("Data Source=design-time.db", o => o.MigrationsHistoryTable(AccountsDbContext.MigrationsHistoryTable))
            .Options);
}
