using Observatoire.Soak;

namespace Observatoire.Server.Tests;

/// <summary>
/// A server its operator misconfigured stops at start-up with exit code 1 and one French line saying what to fix, not
/// a stack trace: here a grid file that is not a schema (<c>Schemas:Directory</c>, refused before the ports open) and a
/// database file that is not SQLite (refused by the start-up phase, after they opened).
/// </summary>
[Collection(ChildServerCollection.Name)]
public class StartupRefusalTests
{
    private const string ApiKey = "obs_refusetest00_startup-refusal-test-admin-key-0123456789";

    [Theory]
    [InlineData("Schemas:Directory", "grille-2027.1.json")]
    [InlineData(null, "n'est pas une base SQLite lisible")]
    public async Task A_misconfigured_server_exits_with_code_1_and_says_what_to_fix(string? setting, string said)
    {
        var directory = Directory.CreateTempSubdirectory("observatoire-refus-").FullName;
        try
        {
            var grids = Directory.CreateDirectory(Path.Combine(directory, "grilles")).FullName;
            File.WriteAllText(Path.Combine(grids, "grille-2027.1.json"), "{ \"version\": \"2027.1\"");
            var database = Path.Combine(directory, "refus.db");
            File.WriteAllText(database, "Ceci n'est pas une base de données, mais un fichier texte assez long pour que SQLite le lise.".PadRight(4096, '.'));
            var settings = setting is null ? new Dictionary<string, string>() : new() { [setting] = grids };

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ChildServer.StartAsync(
                ChildServer.LocateServerDll(), database, ApiKey, TimeSpan.FromSeconds(180), settings: settings));

            Assert.Contains("(code 1)", error.Message);
            Assert.Contains("Démarrage refusé : ", error.Message);
            Assert.Contains(said, error.Message);
            Assert.DoesNotContain("Unhandled exception", error.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
