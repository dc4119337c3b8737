using System.CommandLine;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>observatoire compare: every child of an area for one figure, ranked, with rates (AggregateService.CompareAreas).</summary>
public sealed class CompareCommand : AnalysisCommandBase
{
    /// <summary>Creates the command for a server.</summary>
    public CompareCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var options = AnalysisOptions.Create();
        var instants = new FigureInstant.Options();
        options.Level.Description = "Niveau de la zone parente : national (ses régions), region (ses départements) ou departement (ses postes).";
        var cell = new Option<string>("--cell")
        {
            Description = "Indicateur ou cellule comparé, par exemple personnes_nouvelles.",
            HelpName = "CELLULE",
            Required = true,
        };
        var command = new Command(
            "compare",
            "Compare les subdivisions d'une zone (régions, départements ou postes) pour un chiffre : classement, valeurs et taux.")
        {
            cell,
        };
        options.AddTo(command);
        instants.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var request = new CompareAreasRequest
            {
                Area = options.Area(parseResult).ToProto(),
                Cell = parseResult.GetRequiredValue(cell).Trim(),
                Period = options.PeriodValue(parseResult),
                ExcludePartial = options.ExcludePartialValue(parseResult),
                Disclosure = options.DisclosureValue(parseResult),
            };
            if (request.Area.Level == AreaLevel.Post)
            {
                throw new UsageException("compare compare les subdivisions d'une zone : un poste n'en a pas (--level national, region ou departement).");
            }

            var instant = instants.Of(parseResult);
            var compare = new CompareCommand(context, ServerOf(parseResult, serverOption));
            return compare.AtInstantAsync(instant, asOf => request.AsOf = asOf, () => compare.ExecuteAsync(request, options.Target(parseResult), cancellationToken), cancellationToken);
        });
        return command;
    }

    /// <summary>Asks for the comparison and writes it; returns the exit code.</summary>
    public Task<int> ExecuteAsync(CompareAreasRequest request, OutputTarget target, CancellationToken cancellationToken) =>
        QueryAndWriteAsync(
            ct => Aggregates.CompareAreasAsync(request, cancellationToken: ct),
            $"Comparaison non obtenue ({request.Cell}, {new AreaSelection(request.Area.Level, request.Area.Code)}, {request.Period})",
            target,
            response => ToCsv(response, target.Separator),
            (console, response) => Render(console, request, response),
            cancellationToken);

    /// <summary>The children as CSV, ranked.</summary>
    public static CsvTable ToCsv(CompareAreasResponse response, char separator)
    {
        var table = new CsvTable(
            separator,
            "rank", "level", "code", "name", "value", "status", "confidentiality", "rate_per_100k", "rate_per_fte",
            "active_posts", "fte", "posts_per_150k");
        foreach (var child in response.Children)
        {
            var area = child.Area ?? new AreaInfo();
            var coverage = child.Coverage ?? new Coverage();
            table.AddRow(
                child.Rank > 0 ? table.Integer(child.Rank) : null,
                AnalysisLabels.LevelCode(area.Level),
                area.Code,
                area.Name,
                table.Integer(child.HasValue ? child.Value : null),
                AnalysisLabels.StatusCode(child.Status),
                AnalysisLabels.ConfidentialityCode(child.Confidentiality),
                table.Decimal(child.HasRatePer100K ? child.RatePer100K : null),
                table.Decimal(child.HasRatePerFte ? child.RatePerFte : null),
                table.Integer(coverage.ActivePosts),
                table.Decimal(coverage.Fte, 2),
                area.Level == AreaLevel.Post ? null : table.Decimal(coverage.PostsPer150K));
        }

        return table;
    }

    private static void Render(IAnsiConsole console, CompareAreasRequest request, CompareAreasResponse response)
    {
        var label = string.IsNullOrEmpty(response.Label) ? response.Cell : $"{response.Label} ({response.Cell})";
        console.MarkupLineInterpolated($"[bold]{label} — {AnalysisLabels.Area(response.Parent)} — période {response.Period}[/]");
        var disclosure = request.Disclosure == Disclosure.Raw ? "chiffres bruts" : "chiffres publiables";
        console.MarkupLineInterpolated($"[grey]{disclosure}[/]");
        console.WriteLine();

        if (response.Children.Count == 0)
        {
            console.MarkupLine("Aucune subdivision à comparer.");
        }
        else
        {
            var posts = response.Children[0].Area?.Level == AreaLevel.Post;
            var table = NewTable();
            table.AddColumn(new TableColumn("Rang").RightAligned().NoWrap());
            table.AddColumn(new TableColumn("Zone"));
            table.AddColumn(new TableColumn("Valeur").RightAligned().NoWrap());
            if (!posts)
            {
                table.AddColumn(new TableColumn("/100 000 hab.").RightAligned().NoWrap());
            }

            table.AddColumn(new TableColumn("/ETP").RightAligned().NoWrap());
            table.AddColumn(new TableColumn("Postes").RightAligned().NoWrap());
            if (!posts)
            {
                table.AddColumn(new TableColumn("Postes/150 000 hab.").RightAligned().NoWrap());
            }

            foreach (var child in response.Children)
            {
                var area = child.Area ?? new AreaInfo();
                var coverage = child.Coverage ?? new Coverage();
                var value = AnalysisLabels.FigureValue(child.HasValue ? child.Value : null, child.Status, child.Confidentiality);
                var name = area.Level == AreaLevel.Post
                    ? string.IsNullOrEmpty(area.Name) ? area.Code : $"{area.Code} — {area.Name}"
                    : AnalysisLabels.NameAndCode(area);
                var cells = new List<Spectre.Console.Rendering.IRenderable>
                {
                    new Text(child.Rank > 0 ? child.Rank.ToString(Labels.French) : "—"),
                    new Text(name),
                    new Markup(child.HasValue ? Markup.Escape(value) : $"[grey]{Markup.Escape(value)}[/]"),
                };
                if (!posts)
                {
                    cells.Add(new Text(child.HasRatePer100K ? AnalysisLabels.Decimal(child.RatePer100K) : "—"));
                }

                cells.Add(new Text(child.HasRatePerFte ? AnalysisLabels.Decimal(child.RatePerFte) : "—"));
                cells.Add(new Text(Labels.Number(coverage.ActivePosts)));
                if (!posts)
                {
                    var ratioStyle = coverage.PostsPer150K >= 1 ? "green" : "yellow";
                    cells.Add(new Markup($"[{ratioStyle}]{Markup.Escape(AnalysisLabels.Decimal(coverage.PostsPer150K, 2))}[/]"));
                }

                table.AddRow(cells);
            }

            console.Write(table);
            if (response.Children.Any(c => c.Status == FigureStatus.Partial))
            {
                console.MarkupLine("[grey]* chiffre partiel : des grilles attendues manquent.[/]");
            }
        }

        WriteNotes(console, response.Notes);
    }
}
