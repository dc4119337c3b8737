using Observatoire.Core.Schemas;
using Observatoire.Server.Grids;

namespace Observatoire.Server.Backups;

/// <summary>
/// "Observatoire.Server verify-backup FILE [MANIFEST]": proves a snapshot before it is restored, without starting the
/// server (exit code 0 when it is what its manifest, FILE.manifest.json by default, declares; 1 otherwise; 2 on usage).
/// </summary>
public static class BackupCommandLine
{
    public const string Verb = "verify-backup";

    public static bool Handles(string[] args) => args is [Verb, ..];

    /// <param name="configuration">Where <c>Schemas:Directory</c> is read (by default the environment: <c>Schemas__Directory</c>).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct = default, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Length is < 2 or > 3)
        {
            await output.WriteLineAsync($"Usage : Observatoire.Server {Verb} FICHIER [MANIFESTE] (défaut : FICHIER.manifest.json)");
            return 2;
        }

        var file = Path.GetFullPath(args[1]);
        var manifestPath = args.Length == 3 ? args[2] : file + ".manifest.json";
        if (!File.Exists(manifestPath) || BackupManifest.FromJson(await File.ReadAllTextAsync(manifestPath, ct)) is not { } manifest)
        {
            await output.WriteLineAsync($"Manifeste absent ou illisible : {manifestPath}");
            return 1;
        }

        // The grids the server reads: the embedded ones and those of Schemas:Directory, given here as Schemas__Directory.
        SchemaCatalog schemas;
        try
        {
            schemas = SchemaFolder.Load(configuration ?? new ConfigurationBuilder().AddEnvironmentVariables().Build(), Directory.GetCurrentDirectory());
        }
        catch (Infrastructure.StartupRefusedException e)
        {
            await output.WriteLineAsync(e.Message);
            return 1;
        }

        var problems = await BackupVerifier.VerifyAsync(file, manifest, schemas, ct);
        if (problems.Count > 0)
        {
            await output.WriteLineAsync($"Sauvegarde {file} NON CONFORME à son manifeste ({problems.Count} écart(s)) :");
            foreach (var problem in problems.Take(50))
            {
                await output.WriteLineAsync("  " + problem);
            }

            return 1;
        }

        var grids = manifest.NationalFigures.Sum(f => f.Grids);
        await output.WriteLineAsync(
            $"Sauvegarde {file} conforme : intégrité ok, sha256 {manifest.Sha256}, schéma {manifest.SchemaVersion}, " +
            $"{manifest.Counts.Count} tables aux effectifs déclarés, {grids} grilles courantes sur {manifest.NationalFigures.Count} périodes aux chiffres nationaux déclarés.");
        return 0;
    }
}
