using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Observatoire.Server.Web.Accounts;

/// <summary>
/// The web accounts (ASP.NET Core Identity), on the server's database but with their own model and
/// migrations history table, so that they evolve apart from the statistics tables. Its migrations in
/// Migrations/ are SQLite's; on PostgreSQL the server uses <see cref="PostgreSqlAccountsDbContext"/> and its own.
/// </summary>
public class AccountsDbContext : IdentityDbContext<AccountUser>
{
    public const string MigrationsHistoryTable = "__AccountsMigrationsHistory";

    public AccountsDbContext(DbContextOptions<AccountsDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a provider's own context type (EF Core's pattern for migrations per provider).</summary>
    protected AccountsDbContext(DbContextOptions options)
        : base(options)
    {
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<AccountUser>(user =>
        {
            user.Property(u => u.UserName).HasMaxLength(AccountUser.MaxUserNameLength);
            user.Property(u => u.NormalizedUserName).HasMaxLength(AccountUser.MaxUserNameLength);
            user.Property(u => u.Role).HasMaxLength(16);
            user.Property(u => u.Posts).HasMaxLength(2000);
            user.Property(u => u.Scope).HasMaxLength(64);
        });
    }
}
