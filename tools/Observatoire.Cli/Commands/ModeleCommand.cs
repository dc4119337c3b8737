using System.CommandLine;
using Grpc.Core;
using Observatoire.Cli.Infrastructure;
using Observatoire.Cli.Workbooks;
using Observatoire.Protos.V1;
using Observatoire.Workbooks;
using Spectre.Console;
using Grid = Observatoire.Protos.V1.Grid;

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
        var prefill = new Option<string[]>("--remplir")
        {
            Description = "Fichiers de grilles (.json, .csv) déjà remplis à recopier dans le classeur (une grille par période, du même poste).",
            HelpName = "FICHIER",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("modele", "Génère le classeur Excel des grilles d'une année, à remplir puis à envoyer avec validate et submit.")
        {
            year,
            post,
            frequency,
            prefill,
            output,
        };
        command.SetAction((parseResult, cancellationToken) =>
            new ModeleCommand(context, ServerOf(parseResult, serverOption)).ExecuteAsync(
                parseResult.GetValue(year),
                parseResult.GetValue(post),
                parseResult.GetValue(frequency),
                parseResult.GetValue(output),
                parseResult.GetValue(prefill) ?? [],
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
    public async Task<int> ExecuteAsync(
        int year, string? postId, string? frequencyText, string? output, IReadOnlyList<string> prefillFiles, CancellationToken cancellationToken)
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

        var prefill = ReadPrefill(prefillFiles, post?.Id, sheets);
        if (prefill is null)
        {
            return ExitCodes.Rejected;
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
            Context.Settings.Clock.GetUtcNow(),
            prefill);
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

    /// <summary>
    /// The grids of --remplir by period, checked against the workbook: one grid per period of the workbook, of the
    /// post, with cells of the period's schema only. Null (after printing why) when a file or a grid does not fit.
    /// </summary>
    private Dictionary<string, Grid>? ReadPrefill(IReadOnlyList<string> files, string? postId, IReadOnlyList<(WorkbookPeriod Period, Schema Schema)> sheets)
    {
        var result = new Dictionary<string, Grid>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var path in Grids.GridFileReader.ExpandPaths(files))
        {
            var read = Grids.GridFileReader.Read(path);
            problems.AddRange(read.Errors.Select(e => e.ToString()));
            foreach (var entry in read.Grids)
            {
                var grid = entry.Grid;
                var sheet = sheets.FirstOrDefault(s => s.Period.Code == grid.Period);
                if (sheet.Schema is null)
                {
                    problems.Add($"{entry.Source} : la période {grid.Period} n'a pas de feuille dans ce classeur.");
                }
                else if (postId is not null && !string.Equals(grid.PostId, postId, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"{entry.Source} : grille du poste {grid.PostId}, classeur du poste {postId}.");
                }
                else if (grid.Values.Keys.Except(SchemaCells.Paths(sheet.Schema)).FirstOrDefault() is { } unknown)
                {
                    problems.Add($"{entry.Source} : la cellule « {unknown} » n'existe pas dans la grille {sheet.Schema.Version}.");
                }
                else if (!result.TryAdd(grid.Period, grid))
                {
                    problems.Add($"{entry.Source} : une autre grille de la période {grid.Period} est déjà recopiée.");
                }
            }
        }

        foreach (var problem in problems)
        {
            Context.Error.MarkupLineInterpolated($"[red]{ViolationRenderer.Ko(Context.Error)} --remplir : {problem}[/]");
        }

        return problems.Count == 0 ? result : null;
    }
}
