using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using Grpc.Core;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>observatoire admin backup: a consistent snapshot of the server's database, checked on receipt (administrator only).</summary>
public sealed class AdminCommand : AdminCommandBase
{
    /// <summary>Extension of the manifest written beside the snapshot.</summary>
    public const string ManifestExtension = ".manifest.json";

    /// <summary>Creates the command for a server.</summary>
    public AdminCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var output = Opt<string>("--output", "Fichier de la sauvegarde (SQLite) ; le manifeste s'écrit à côté (FICHIER.manifest.json).", "FICHIER", required: true);
        output.Aliases.Add("-o");
        var backup = new Command(
            "backup",
            "Sauvegarde cohérente de la base du serveur, prise en service (toute écriture confirmée avant l'appel y figure), " +
            "avec son manifeste : somme de contrôle, version du schéma, effectifs, chiffres nationaux.")
        {
            output,
        };
        backup.SetAction((parseResult, ct) => new AdminCommand(context, ServerOf(parseResult, serverOption))
            .BackupAsync(parseResult.GetRequiredValue(output), ct));
        return new Command("admin", "Exploitation du serveur (clé admin).") { backup };
    }

    /// <summary>Receives a snapshot into <paramref name="output"/>, checks its checksum and size against the manifest, and writes the manifest beside it.</summary>
    public async Task<int> BackupAsync(string output, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(output);
        var partial = full + ".partiel";
        try
        {
            OutputFiles.CreateFolderOf(full);
            using var call = Admin.BackupDatabase(new BackupDatabaseRequest(), cancellationToken: cancellationToken);
            string? manifest = null;
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    if (chunk.ContentCase == BackupChunk.ContentOneofCase.ManifestJson)
                    {
                        manifest = chunk.ManifestJson;
                        continue;
                    }

                    sha.AppendData(chunk.Data.Span);
                    size += chunk.Data.Length;
                    await file.WriteAsync(chunk.Data.Memory, cancellationToken);
                }

                file.Flush(flushToDisk: true);
            }

            var declared = manifest is null ? null : Declared(manifest);
            var actual = Convert.ToHexStringLower(sha.GetHashAndReset());
            if (declared is null || declared.Value.Sha256 != actual || declared.Value.Size != size)
            {
                File.Delete(partial);
                Context.Error.MarkupLineInterpolated(
                    $"[red]Sauvegarde refusée :[/] le fichier reçu ({size} octets, sha256 {actual}) ne correspond pas au manifeste du serveur ; rien n'a été écrit.");
                return ExitCodes.Rejected;
            }

            File.Move(partial, full, overwrite: true);
            AtomicFile.Write(full + ManifestExtension, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(manifest!)));
            Console.MarkupLineInterpolated($"[green]Sauvegarde écrite :[/] {full} ({size} octets, sha256 {actual}).");
            Console.MarkupLineInterpolated($"Schéma {declared.Value.Schema}, {declared.Value.Grids} révisions de grilles ; manifeste : {full + ManifestExtension}.");
            Console.MarkupLine("Avant de la restaurer, vérifiez-la sur le serveur : Observatoire.Server verify-backup FICHIER (voir le README, section Operations).");
            return ExitCodes.Success;
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Unavailable)
        {
            TryDelete(partial);
            Context.Error.MarkupLineInterpolated($"[red]Sauvegarde impossible : {RpcErrors.StatusName(ex.StatusCode)}[/] — {RpcErrors.Detail(ex)}");
            return ExitCodes.Rejected;
        }
        catch (Exception ex) when (OutputFiles.IsWriteFailure(ex))
        {
            TryDelete(partial);
            Context.Error.MarkupLineInterpolated($"[red]Sauvegarde non écrite :[/] {ex.Message}");
            return ExitCodes.Rejected;
        }
    }

    private static (string Sha256, long Size, string Schema, long Grids)? Declared(string manifest)
    {
        try
        {
            using var json = JsonDocument.Parse(manifest);
            var root = json.RootElement;
            var grids = root.GetProperty("counts").TryGetProperty("GridRevisions", out var revisions) ? revisions.GetInt64() : 0;
            return (root.GetProperty("sha256").GetString() ?? "", root.GetProperty("size_bytes").GetInt64(), root.GetProperty("schema_version").GetString() ?? "", grids);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left behind, a ".partiel" file says what it is.
        }
    }
}
