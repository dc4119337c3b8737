using System.CommandLine;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;

namespace Observatoire.Cli.Commands;

/// <summary>
/// observatoire bilan: a post's bilan d'activité for its comité de suivi (ReportService.GeneratePostBilan), from its
/// own grids, with the qualitative part read from a Markdown file; received and checked like the annual report.
/// </summary>
public sealed class BilanCommand : CommandBase
{
    private BilanCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>Largest accepted --texte file: the server accepts 50,000 characters, at most 4 bytes each.</summary>
    public const long MaxTextBytes = 200_000;

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var post = new Option<string>("--post", "-p")
        {
            Description = "Identifiant du poste, par exemple P-01-001.",
            HelpName = "POSTE",
            Required = true,
        };
        var year = new Option<int>("--year", "-y")
        {
            Description = "Année du bilan.",
            HelpName = "ANNÉE",
            Required = true,
        };
        var text = new Option<string>("--texte", "-t")
        {
            Description = "Partie qualitative, en Markdown (titres #, ##, ###, paragraphes, listes -) ; contrôlée par le garde d'anonymat comme les commentaires.",
            HelpName = "FICHIER",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Fichier PDF, ou dossier où l'écrire. Défaut : le nom donné par le serveur (bilan-P-01-001-2025.pdf) dans le dossier courant.",
            HelpName = "FICHIER",
        };
        var command = new Command(
            "bilan",
            "Produit le bilan d'activité annuel d'un poste pour son comité de suivi (PDF) : ses propres chiffres, puis la partie qualitative.")
        {
            post,
            year,
            text,
            output,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var postId = parseResult.GetValue(post)!.Trim().ToUpperInvariant();
            if (postId.Length == 0)
            {
                throw new UsageException("--post : identifiant de poste vide.");
            }

            var request = new GeneratePostBilanRequest
            {
                PostId = postId,
                Year = parseResult.GetValue(year),
                Texte = ReadText(parseResult.GetValue(text)),
            };
            var path = parseResult.GetValue(output);
            if (path is not null && string.IsNullOrWhiteSpace(path))
            {
                throw new UsageException("--output : nom de fichier vide.");
            }

            return new ReportCommand(context, ServerOf(parseResult, serverOption)).ExecuteAsync(
                $"Bilan d'activité {request.Year} du poste {request.PostId}",
                $"bilan-{OutputFiles.Safe(request.PostId)}-{request.Year}.pdf",
                path,
                (client, ct) => client.GeneratePostBilan(request, cancellationToken: ct),
                cancellationToken);
        });
        return command;
    }

    private static string ReadText(string? path)
    {
        if (path is null)
        {
            return "";
        }

        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxTextBytes)
            {
                throw new UsageException($"--texte : « {path} » est trop long ({info.Length} octets, {MaxTextBytes} au plus).");
            }

            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"--texte : lecture impossible de « {path} » : {ex.Message}");
        }
    }
}
