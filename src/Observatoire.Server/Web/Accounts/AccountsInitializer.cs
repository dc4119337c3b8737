using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Observatoire.Server.Infrastructure;

namespace Observatoire.Server.Web.Accounts;

/// <summary>
/// Migrates the accounts tables in the start-up's migration step, after the statistics database, reads the key ring
/// (creating its first key on a new database, before any page is served), creates the first admin account from
/// Security:BootstrapAdminPassword when none exists, and in Development the demonstration accounts the README names.
/// </summary>
internal sealed partial class AccountsInitializer(
    IServiceProvider services,
    IOptions<AccountOptions> options,
    IHostEnvironment environment,
    ILogger<AccountsInitializer> logger) : IStartupMigration
{
    /// <summary>The demonstration accounts of Development: a post of the Ain and an analyst of the Ain.</summary>
    internal static readonly (string UserName, string Password, string Role, string Posts, string? Scope)[] DevelopmentAccounts =
    [
        ("poste-demo", "Poste-demo-2026!", "poste", "P-01-001", null),
        ("analyste-ain", "Analyste-demo-2026!", "analyste", "", "departement:01"),
    ];

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        await db.Database.MigrateAsync(cancellationToken);

        // The key ring is read at the first protection: here rather than at the first page, and its first key is written
        // now rather than by whichever instance serves the first page.
        scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>().CreateProtector(nameof(AccountsInitializer)).Protect([0]);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AccountUser>>();

        if (options.Value.BootstrapAdminPassword is { Length: > 0 } password
            && !await db.Users.AnyAsync(u => u.Role == "admin", cancellationToken))
        {
            await CreateAsync(users, "admin", password, "admin", "", null);
            LogBootstrapped(logger);
        }

        if (environment.IsDevelopment())
        {
            foreach (var (userName, pass, role, posts, area) in DevelopmentAccounts)
            {
                if (await users.FindByNameAsync(userName) is null)
                {
                    await CreateAsync(users, userName, pass, role, posts, area);
                }
            }
        }
    }

    internal static async Task CreateAsync(UserManager<AccountUser> users, string userName, string password, string role, string posts, string? scope)
    {
        var result = await users.CreateAsync(new AccountUser { UserName = userName, Role = role, Posts = posts, Scope = scope }, password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Le compte « {userName} » n'a pas pu être créé : {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Web account 'admin' created from Security:BootstrapAdminPassword; change its password")]
    private static partial void LogBootstrapped(ILogger logger);
}
