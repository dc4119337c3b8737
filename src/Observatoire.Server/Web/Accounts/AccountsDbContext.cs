using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Observatoire.Server.Web.Accounts;

/// <summary>
/// The web accounts (ASP.NET Core Identity) and the data-protection key ring that signs their cookies and the
/// antiforgery tokens, on the server's database but with their own model and migrations history table, so that they
/// evolve apart from the statistics tables. Every instance on the database reads the same key ring: a cookie issued
/// by one is valid on all. Its migrations in Migrations/ are SQLite's; on PostgreSQL the server uses
/// <see cref="PostgreSqlAccountsDbContext"/> and its own.
/// </summary>
public class AccountsDbContext : IdentityDbContext<AccountUser>, IDataProtectionKeyContext
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

    /// <summary>The data-protection keys (XML, one row per key), as ASP.NET Core's EF Core key store writes them.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

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
