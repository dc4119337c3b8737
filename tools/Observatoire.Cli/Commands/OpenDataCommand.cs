using System.CommandLine;
using System.Globalization;
using System.IO.Compression;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>
/// observatoire opendata: the year's open data package (national, regional and departmental published figures as CSV,
/// datapackage.json, methodology note, licence) written into a folder. The server sends it as one archive, received and
/// checked like a report, then unpacked.
/// </summary>
public sealed class OpenDataCommand : AnalysisCommandBase
{
    private OpenDataCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var year = new Option<int>("--year", "-y")
        {
            Description = "Année des chiffres publiés.",
            HelpName = "ANNÉE",
            Required = true,
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Dossier où écrire le jeu de données (créé au besoin). Défaut : donnees-ouvertes-ANNÉE dans le dossier courant.",
            HelpName = "DOSSIER",
        };
        var command = new Command(
            "opendata",
            "Écrit le jeu de données ouvertes d'une année : chiffres publiés national, régional et départemental en CSV, datapackage.json (Frictionless), note méthodologique et Licence Ouverte 2.0.")
        {
            year,
            output,
        };
        var instants = new FigureInstant.Options();
        instants.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var value = parseResult.GetValue(year);
            var folder = parseResult.GetValue(output) ?? $"donnees-ouvertes-{value.ToString(CultureInfo.InvariantCulture)}";
            if (string.IsNullOrWhiteSpace(folder))
            {
                throw new UsageException("--output : nom de dossier vide.");
            }

            var instant = instants.Of(parseResult);
            var openData = new OpenDataCommand(context, ServerOf(parseResult, serverOption));
            Google.Protobuf.WellKnownTypes.Timestamp? at = null;
            return openData.AtInstantAsync(instant, asOf => at = asOf, () => openData.ExecuteAsync(value, folder, at, cancellationToken), cancellationToken);
        });
        return command;
    }

    private async Task<int> ExecuteAsync(int year, string folder, Google.Protobuf.WellKnownTypes.Timestamp? asOf, CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (OutputFiles.IsWriteFailure(ex))
        {
            Context.Error.MarkupLineInterpolated($"[red]Écriture impossible dans « {folder} » :[/] {ex.Message}");
            return ExitCodes.Rejected;
        }

        var archive = Path.Combine(folder, $".donnees-ouvertes-{year.ToString(CultureInfo.InvariantCulture)}.zip");
        var request = new ExportFiguresRequest { Period = year.ToString(CultureInfo.InvariantCulture), Format = ExportFormat.OpenData, Level = AreaLevel.National, AsOf = asOf };
        var code = await new ReportCommand(Context, Server).ExecuteAsync(
            $"Données ouvertes {year}", Path.GetFileName(archive), archive, (client, ct) => client.ExportFigures(request, cancellationToken: ct), cancellationToken);
        if (code != ExitCodes.Success)
        {
            return code;
        }

        try
        {
            using (var zip = ZipFile.OpenRead(archive))
            {
                foreach (var entry in zip.Entries)
                {
                    // Names are the server's; a name that would leave the folder is not written.
                    var path = Path.GetFullPath(Path.Combine(folder, entry.FullName));
                    if (!path.StartsWith(Path.GetFullPath(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal) || entry.FullName.EndsWith('/'))
                    {
                        continue;
                    }

                    entry.ExtractToFile(path, overwrite: true);
                    Console.MarkupLineInterpolated($"  {path}");
                }
            }

            return ExitCodes.Success;
        }
        catch (Exception ex) when (OutputFiles.IsWriteFailure(ex) || ex is InvalidDataException)
        {
            Context.Error.MarkupLineInterpolated($"[red]Jeu de données non écrit dans « {folder} » :[/] {ex.Message}");
            return ExitCodes.Rejected;
        }
        finally
        {
            File.Delete(archive);
        }
    }
}
