using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc.Testing;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Operations;

/// <summary>What the logs never hold, at the most verbose level: a key, a password, the text of a refused comment.</summary>
public sealed class LogSecrecyTests
{
    private const string Password = "Secret-de-connexion-2026!témoin";
    private const string WrongPassword = "Mauvais-secret-2026!témoin";
    private const string Email = "louise.temoin-secret@exemple.fr";
    private const string Comment = "Rappeler Louise au sujet de sa plainte : " + Email;

    [Fact]
    public async Task Keys_passwords_and_refused_comments_never_reach_the_logs()
    {
        using var server = new ServerFixture();
        server.Settings["Security:BootstrapAdminPassword"] = Password;
        server.Settings["Logging:LogLevel:Default"] = "Debug";
        server.Settings["Logging:LogLevel:Microsoft"] = "Debug";
        server.Settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug";
        server.Settings["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Debug";
        var post = TestGrids.MonthlyPost(5).Id;
        var postKey = await server.PostKeyAsync(post);

        // A post submits its grid with its key, then a grid whose comment names a person.
        var grids = new GridService.GridServiceClient(server.CreateChannel(postKey));
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2025-02")));
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2025-03", Comment))).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);

        // The administrator signs in on the web pages, once with a wrong password, then with the right one.
        using var browser = server.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(browser, WrongPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(browser, Password)).StatusCode);

        var logs = server.Logs.Entries;
        Assert.Contains(logs, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Debug);
        var secrets = new[] { postKey, SecretOf(postKey), SecretOf(ServerFixture.AdminKey), Password, WrongPassword, Comment, Email, "louise.temoin" };
        for (var i = 0; i < secrets.Length; i++)
        {
            var leaked = logs.FirstOrDefault(e => e.AllText.Contains(secrets[i], StringComparison.OrdinalIgnoreCase));
            Assert.True(leaked is null, $"secret #{i} ({secrets[i].Length} characters) is in a log line of {leaked?.Category}: {leaked?.AllText}");
        }

        // What was logged while serving a request carries its trace id.
        Assert.Contains(logs, e => e.Scopes.Any(s => s.Contains("TraceId=", StringComparison.Ordinal)) && e.Scopes.Any(s => s.Contains("SubmitGrid", StringComparison.Ordinal)));
    }

    /// <summary>
    /// The secret of a key: all after "obs_" and the id. (Base64url secrets may hold '_': splitting on it gave a
    /// fragment, in some runs one letter or none, that unrelated log lines contained: a failure that was not a leak.)
    /// </summary>
    private static string SecretOf(string key) => key[(key.IndexOf('_', "obs_".Length) + 1)..];

    private static Task<HttpResponseMessage> SignInAsync(HttpClient browser, string password) =>
        Web.WebSession.SignInAsync(browser, browser, "admin", password);
}
