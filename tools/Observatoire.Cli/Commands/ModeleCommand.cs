using System.CommandLine;
using Grpc.Core;
using Observatoire.Cli.Infrastructure;
using Observatoire.Cli.Workbooks;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>
/// observatoire modele: the Excel workbook of a year's grids, generated from the schema the server serves for each
/// period (GetSchema), for a post of the registry (its frequency decides the sheets) or for any post.
/// </summary>
public sealed class ModeleCommand : CommandBase
{
    /// <summary>Creates the command for a server.</summary>
    public ModeleCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var year = new Option<int>("--year", "-y")
        {
            Description = "Année des grilles.",
            HelpName = "ANNÉE",
            Required = true,
        };
        year.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 2000 or > 2100)
            {
                result.AddError("--year : année attendue entre 2000 et 2100.");
            }
        });
        var post = new Option<string>("--post", "-p")
        {
            Description = "Poste du registre (par exemple P-01-001) : son identifiant est écrit dans le classeur et sa fréquence choisit les feuilles.",
            HelpName = "POSTE",
        };
        var frequency = new Option<string>("--frequence")
        {
            Description = "Feuilles de saisie sans --post : mois (12 mois et l'année, défaut), trimestre (4 trimestres et l'année) ou annee.",
            HelpName = "mois|trimestre|annee",
        };
        frequency.AcceptOnlyFromAmong("mois", "trimestre", "annee");
        var output = new Option<string>("--output", "-o")
        {
            Description = "Fichier .xlsx à écrire, ou dossier. Défaut : grille-ANNÉE.xlsx (grille-ANNÉE-POSTE.xlsx avec --post) dans le dossier courant.",
            HelpName = "FICHIER",
        };
        var command = new Command("modele", "Génère le classeur Excel des grilles d'une année, à remplir puis à envoyer avec validate et submit.")
        {
            year,
            post,
            frequency,
            output,
        };
        command.SetAction((parseResult, cancellationToken) =>
            new ModeleCommand(context, ServerOf(parseResult, serverOption)).ExecuteAsync(
                parseResult.GetValue(year),
                parseResult.GetValue(post),
                parseResult.GetValue(frequency),
                parseResult.GetValue(output),
                cancellationToken));
        return command;
    }

    /// <summary>The frequency named by --frequence.</summary>
    public static ReportingFrequency FrequencyOf(string? text) => text switch
    {
        "trimestre" => ReportingFrequency.Quarter,
        "annee" => ReportingFrequency.Year,
        _ => ReportingFrequency.Month,
    };

    /// <summary>Fetches the post and the schemas, writes the workbook; returns the exit code.</summary>
    public async Task<int> ExecuteAsync(int year, string? postId, string? frequencyText, string? output, CancellationToken cancellationToken)
    {
        postId = postId?.Trim().ToUpperInvariant();
        if (postId is { Length: 0 })
        {
            throw new UsageException("--post : identifiant vide (par exemple --post P-01-001).");
        }

        if (output is not null && string.IsNullOrWhiteSpace(output))
        {
            throw new UsageException("--output : nom de fichier vide.");
        }

        Post? post = null;
        if (postId is not null)
        {
            try
            {
                post = await CallAsync(
                    ct => new RegistryService.RegistryServiceClient(Channel).GetPostAsync(new GetPostRequest { Id = postId }, cancellationToken: ct).ResponseAsync,
                    cancellationToken);
            }
            catch (RpcException ex) when (ex.StatusCode != StatusCode.Unavailable)
            {
                Context.Error.MarkupLineInterpolated($"[red]Poste {postId} non obtenu : {RpcErrors.StatusName(ex.StatusCode)}[/] — {RpcErrors.Detail(ex)}");
                return ExitCodes.Rejected;
            }
        }

        var frequency = frequencyText is not null || post is null ? FrequencyOf(frequencyText) : post.Frequency;
        var schemas = new SchemaService.SchemaServiceClient(Channel);
        var byVersion = new Dictionary<string, Schema>(StringComparer.Ordinal);
        var sheets = new List<(WorkbookPeriod, Schema)>();
        foreach (var period in WorkbookPeriods.Of(year, frequency))
        {
            Schema schema;
            try
            {
                schema = await CallAsync(
                    ct => schemas.GetSchemaAsync(new GetSchemaRequest { Period = period.Code }, cancellationToken: ct).ResponseAsync,
                    cancellationToken);
            }
            catch (RpcException ex) when (ex.StatusCode != StatusCode.Unavailable)
            {
                Context.Error.MarkupLineInterpolated($"[red]Pas de grille pour {period.Label} : {RpcErrors.StatusName(ex.StatusCode)}[/] — {RpcErrors.Detail(ex)}");
                return ExitCodes.Rejected;
            }

            // Periods of one version share one schema object (and so one layout).
            sheets.Add((period, byVersion.TryAdd(schema.Version, schema) ? schema : byVersion[schema.Version]));
        }

        var defaultName = post is null ? $"grille-{year}.xlsx" : $"grille-{year}-{OutputFiles.Safe(post.Id)}.xlsx";
        var path = OutputFiles.Resolve(output, defaultName);
        var plan = new WorkbookPlan(
            year,
            post?.Id,
            post?.Name,
            frequency,
            sheets,
            $"observatoire modele ({typeof(ModeleCommand).Assembly.GetName().Version})",
            Context.Settings.Clock.GetUtcNow());
        try
        {
            AtomicFile.Write(path, stream => GridWorkbookWriter.Write(plan, stream));
        }
        catch (Exception ex) when (OutputFiles.IsWriteFailure(ex))
        {
            Context.Error.MarkupLineInterpolated($"[red]Écriture impossible de « {path} » :[/] {ex.Message}");
            return ExitCodes.Rejected;
        }

        var cells = SchemaCells.Paths(sheets[^1].Item2).Count;
        Console.MarkupLineInterpolated(
            $"[green]{ViolationRenderer.Ok(Console)} Classeur écrit : {path}[/] ({Labels.Count(sheets.Count, "feuille de saisie", "feuilles de saisie")}, grille {string.Join(", ", byVersion.Keys)}, {cells} cases par grille).");
        Console.MarkupLineInterpolated(
            $"Remplissez les cases jaunes, puis : observatoire validate {Path.GetFileName(path)} et observatoire submit {Path.GetFileName(path)}.");
        return ExitCodes.Success;
    }
}
