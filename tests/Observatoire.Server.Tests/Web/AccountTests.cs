using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Observatoire.Core.Access;
using Observatoire.Server.Security;
using Observatoire.Server.Web.Accounts;

namespace Observatoire.Server.Tests.Web;

/// <summary>Web accounts: bootstrap, lockout, and the same caller as an API key of the same role.</summary>
public sealed class AccountTests : IDisposable
{
    private const string Password = "Mot-de-passe-initial-2026!";

    private readonly ServerFixture _server = new();

    public AccountTests()
    {
        _server.Settings["Security:BootstrapAdminPassword"] = Password;
        _server.Settings["Security:MaxFailedSignIns"] = "3";
    }

    [Fact]
    public async Task The_bootstrap_password_creates_the_admin_account_whose_claims_make_the_callers_of_an_admin_key()
    {
        _ = _server.Server;
        await using var scope = _server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AccountUser>>();
        var admin = await users.FindByNameAsync("admin");

        Assert.NotNull(admin);
        Assert.True(await users.CheckPasswordAsync(admin, Password));
        Assert.DoesNotContain(Password, admin.PasswordHash, StringComparison.Ordinal);

        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AccountUser>>().CreateAsync(admin);
        var caller = CallerClaims.ScopeOf(principal, "127.0.0.1");
        Assert.Equal(new { Id = "compte:admin", Role = Role.Admin }, new { Id = caller!.KeyId, caller.Role });
    }

    [Fact]
    public async Task A_post_account_and_a_post_key_give_the_same_caller()
    {
        _ = _server.Server;
        await using var scope = _server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AccountUser>>();
        await AccountsInitializer.CreateAsync(users, "poste-test", Password, "poste", "P-01-001,P-01-002", null);
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AccountUser>>()
            .CreateAsync((await users.FindByNameAsync("poste-test"))!);

        var fromAccount = CallerClaims.ScopeOf(principal, "ip")!;
        var fromKey = CallerClaims.ScopeOf(
            new ClaimsPrincipal(new ClaimsIdentity(CallerClaims.Of("compte:poste-test", Role.Poste, ["P-01-002", "P-01-001"], null), "ApiKey")), "ip")!;

        Assert.Equal(fromKey.Role, fromAccount.Role);
        Assert.Equal(fromKey.Posts.Order(), fromAccount.Posts.Order());
        Assert.True(AccessPolicy.ForSubmission(fromAccount, "P-01-002", historical: false).Allowed);
        Assert.False(AccessPolicy.ForSubmission(fromAccount, "P-02-001", historical: false).Allowed);
    }

    [Fact]
    public async Task An_account_is_locked_after_the_configured_failed_sign_ins_even_for_the_right_password()
    {
        _ = _server.Server;
        await using var scope = _server.Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<AccountUser>>();
        var admin = (await signIn.UserManager.FindByNameAsync("admin"))!;

        for (var i = 0; i < 3; i++)
        {
            Assert.False((await signIn.CheckPasswordSignInAsync(admin, "mauvais-mot-de-passe", lockoutOnFailure: true)).Succeeded);
        }

        var result = await signIn.CheckPasswordSignInAsync(admin, Password, lockoutOnFailure: true);
        Assert.True(result.IsLockedOut);
    }

    [Fact]
    public async Task The_bootstrap_password_is_ignored_once_an_admin_account_exists()
    {
        var directory = Directory.CreateTempSubdirectory("observatoire-accounts-").FullName;
        var path = Path.Combine(directory, "observatoire.db");
        try
        {
            using (var first = new ServerFixture(path))
            {
                first.Settings["Security:BootstrapAdminPassword"] = Password;
                _ = first.Server;
            }

            using var restarted = new ServerFixture(path);
            restarted.Settings["Security:BootstrapAdminPassword"] = "Un-autre-mot-de-passe-2026!";
            _ = restarted.Server;
            await using var scope = restarted.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AccountUser>>();

            var admin = (await users.FindByNameAsync("admin"))!;
            Assert.True(await users.CheckPasswordAsync(admin, Password));
            Assert.Single(users.Users.Where(u => u.Role == "admin"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    public void Dispose() => _server.Dispose();
}
