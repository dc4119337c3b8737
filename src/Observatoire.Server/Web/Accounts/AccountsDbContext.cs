using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Observatoire.Server.Web.Accounts;

/// <summary>
/// The web accounts (ASP.NET Core Identity), on the server's database but with their own model and
/// migrations history table, so that they evolve apart from the statistics tables.
/// </summary>
public sealed class AccountsDbContext(DbContextOptions<AccountsDbContext> options) : IdentityDbContext<AccountUser>(options)
{
    public const string MigrationsHistoryTable = "__AccountsMigrationsHistory";

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
