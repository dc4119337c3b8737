using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Observatoire.Server.Web.Accounts;

namespace Observatoire.Server.Tests.Web;

/// <summary>The key ring that signs the sign-in cookies lives in the database: it survives a restart and is the database's own.</summary>
public sealed class SignInKeyRingTests
{
    private const string Password = "Mot-de-passe-initial-2026!";

    [Fact]
    public async Task A_sign_in_outlives_a_restart_on_the_same_database_and_means_nothing_to_a_server_on_another()
    {
        var directory = Directory.CreateTempSubdirectory("observatoire-keyring-").FullName;
        var path = Path.Combine(directory, "observatoire.db");
        var session = new WebSession();
        try
        {
            using (var before = Started(new ServerFixture(path)))
            {
                var browser = session.To(before);
                Assert.Equal(HttpStatusCode.Redirect, (await WebSession.SignInAsync(browser, browser, "admin", Password)).StatusCode);
                Assert.Equal("admin", await WebSession.SignedInAccountAsync(browser));

                // The key ring is first read after the migration that creates its table, never before (no error logged).
                Assert.DoesNotContain(before.Logs.Entries, e => e.Level >= LogLevel.Error
                    && (e.Category.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal) || e.Text.Contains(nameof(AccountsDbContext), StringComparison.Ordinal)));
            }

            using (var restarted = Started(new ServerFixture(path)))
            {
                Assert.Equal("admin", await WebSession.SignedInAccountAsync(session.To(restarted)));
                await using var scope = restarted.Services.CreateAsyncScope();
                Assert.NotEmpty(await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().DataProtectionKeys.ToListAsync());
            }

            // Same process, same machine, same account and password: only the key ring differs.
            using var stranger = Started(new ServerFixture());
            Assert.Null(await WebSession.SignedInAccountAsync(session.To(stranger)));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Signing_out_with_the_header_form_ends_the_session()
    {
        using var server = Started(new ServerFixture());
        var session = new WebSession();
        var browser = session.To(server);
        Assert.Equal(HttpStatusCode.Redirect, (await WebSession.SignInAsync(browser, browser, "admin", Password)).StatusCode);
        var home = await browser.GetStringAsync("/");

        using var signedOut = await browser.PostAsync("/deconnexion", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebSession.TokenOf(home),
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal("/connexion", signedOut.Headers.Location!.OriginalString);
        Assert.Null(await WebSession.SignedInAccountAsync(browser));
    }

    private static ServerFixture Started(ServerFixture server)
    {
        server.Settings["Security:BootstrapAdminPassword"] = Password;
        _ = server.Server;
        return server;
    }
}
