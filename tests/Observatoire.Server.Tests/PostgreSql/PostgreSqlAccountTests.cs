using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Observatoire.Server.Web.Accounts;

namespace Observatoire.Server.Tests;

/// <summary>The web accounts (ASP.NET Core Identity) on PostgreSQL, with their own context type and migrations.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlAccountTests : IDisposable
{
    private const string Password = "Mot-de-passe-initial-2026!";

    private readonly PostgreSqlServerFixture _server = new();

    public PostgreSqlAccountTests()
    {
        _server.Settings["Security:BootstrapAdminPassword"] = Password;
        _server.Settings["Security:MaxFailedSignIns"] = "3";
    }

    [Fact]
    public async Task Accounts_are_migrated_created_checked_and_locked_on_PostgreSql()
    {
        _ = _server.Server;
        await using var scope = _server.Services.CreateAsyncScope();
        Assert.IsType<PostgreSqlAccountsDbContext>(scope.ServiceProvider.GetRequiredService<AccountsDbContext>());
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<AccountUser>>();
        await AccountsInitializer.CreateAsync(signIn.UserManager, "poste-pg", Password, "poste", "P-01-001", null);

        var admin = (await signIn.UserManager.FindByNameAsync("admin"))!;
        Assert.True(await signIn.UserManager.CheckPasswordAsync(admin, Password));
        Assert.Equal("P-01-001", (await signIn.UserManager.FindByNameAsync("poste-pg"))!.Posts);

        for (var i = 0; i < 3; i++)
        {
            Assert.False((await signIn.CheckPasswordSignInAsync(admin, "mauvais-mot-de-passe", lockoutOnFailure: true)).Succeeded);
        }

        Assert.True((await signIn.CheckPasswordSignInAsync(admin, Password, lockoutOnFailure: true)).IsLockedOut);
    }

    public void Dispose() => _server.Dispose();
}
