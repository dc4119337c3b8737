using System.CommandLine;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>observatoire completeness: expected, received, on-time, late and missing grids (AggregateService.GetCompleteness).</summary>
public sealed class CompletenessCommand : AnalysisCommandBase
{
    /// <summary>Creates the command for a server.</summary>
    public CompletenessCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var options = AnalysisOptions.Create(disclosure: false);
        var posts = new Option<bool>("--posts")
        {
            Description = "Ajoute la liste des postes avec leurs périodes manquantes et en retard.",
        };
        var command = new Command(
            "completeness",
            "Complétude des remontées d'une zone pour une période : grilles attendues, reçues, à l'heure, en retard et manquantes.")
        {
            posts,
        };
        var instants = new FigureInstant.Options();
        options.AddTo(command);
        instants.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var request = new GetCompletenessRequest
            {
                Area = options.Area(parseResult).ToProto(),
                Period = options.PeriodValue(parseResult),
            };
            var instant = instants.Of(parseResult);
            var completeness = new CompletenessCommand(context, ServerOf(parseResult, serverOption));
            return completeness.AtInstantAsync(
                instant,
                asOf => request.AsOf = asOf,
                () => completeness.ExecuteAsync(request, parseResult.GetValue(posts), options.Target(parseResult), cancellationToken),
                cancellationToken);
        });
        return command;
    }

    /// <inheritdoc />
    protected override string? RawHint => null;

    /// <summary>Asks for the completeness and writes it; returns the exit code.</summary>
    public Task<int> ExecuteAsync(GetCompletenessRequest request, bool withPosts, OutputTarget target, CancellationToken cancellationToken) =>
        QueryAndWriteAsync(
            ct => Aggregates.GetCompletenessAsync(request, cancellationToken: ct),
            $"Complétude non obtenue ({new AreaSelection(request.Area.Level, request.Area.Code)}, {request.Period})",
            target,
            response => ToCsv(response, withPosts, target.Separator),
            (console, response) => Render(console, response, withPosts, request.AsOf, Context.Settings.TimeZone),
            cancellationToken);

    /// <summary>
    /// The counts as CSV: the area itself (scope "total"), its children (scope "child") and, with --posts, every post
    /// (scope "post", with its missing and late periods separated by spaces).
    /// </summary>
    public static CsvTable ToCsv(GetCompletenessResponse response, bool withPosts, char separator)
    {
        var table = new CsvTable(
            separator,
            "scope", "level", "code", "name", "department", "expected", "received", "on_time", "late", "missing",
            "completeness_percent", "timeliness_percent", "missing_periods", "late_periods");

        void Add(string scope, string level, string code, string name, string department, CompletenessCounts? counts, string missing = "", string late = "")
        {
            counts ??= new CompletenessCounts();
            table.AddRow(
                scope, level, code, name, department,
                table.Integer(counts.Expected), table.Integer(counts.Received), table.Integer(counts.OnTime),
                table.Integer(counts.Late), table.Integer(counts.Missing),
                table.Decimal(counts.Completeness * 100, 2), table.Decimal(counts.Timeliness * 100, 2),
                missing, late);
        }

        var area = response.Area ?? new AreaInfo();
        Add("total", AnalysisLabels.LevelCode(area.Level), area.Code, area.Name, "", response.Counts);
        foreach (var child in response.Children)
        {
            var childArea = child.Area ?? new AreaInfo();
            Add("child", AnalysisLabels.LevelCode(childArea.Level), childArea.Code, childArea.Name, "", child.Counts);
        }

        if (withPosts)
        {
            foreach (var post in response.Posts)
            {
                Add("post", "post", post.PostId, post.PostName, post.DepartmentCode, post.Counts,
                    string.Join(' ', post.MissingPeriods), string.Join(' ', post.LatePeriods));
            }
        }

        return table;
    }

    private static void Render(IAnsiConsole console, GetCompletenessResponse response, bool withPosts, Google.Protobuf.WellKnownTypes.Timestamp? asOf, TimeZoneInfo timeZone)
    {
        console.MarkupLineInterpolated($"[bold]Complétude — {AnalysisLabels.Area(response.Area)} — période {response.Period}[/]");
        if (asOf is not null)
        {
            console.MarkupLineInterpolated($"[grey]telle qu'elle était le {Labels.DateTime(asOf, timeZone)} : grilles reçues jusque-là, périodes finies ce jour-là[/]");
        }

        console.MarkupLineInterpolated(
            $"[grey]une grille est à l'heure si elle est reçue au plus tard {Labels.Count(response.DeadlineDays, "jour", "jours")} après la fin de sa période[/]");
        console.WriteLine();

        var counts = response.Counts ?? new CompletenessCounts();
        var style = counts.Missing > 0 ? "yellow" : "green";
        var totals = $"{Labels.Count(counts.Expected, "grille attendue", "grilles attendues")} · {Labels.Number(counts.Received)} reçue{Plural(counts.Received)} " +
                     $"({Labels.Number(counts.OnTime)} à l'heure, {Labels.Number(counts.Late)} en retard) · {Labels.Number(counts.Missing)} manquante{Plural(counts.Missing)}";
        console.MarkupLine($"[{style}]{Markup.Escape(totals)}[/]");
        console.MarkupLineInterpolated(
            $"Complétude : [bold]{AnalysisLabels.Percent(counts.Completeness)}[/] · ponctualité : [bold]{AnalysisLabels.Percent(counts.Timeliness)}[/]");

        if (response.Children.Count > 0)
        {
            console.WriteLine();
            var childLevel = response.Children[0].Area?.Level ?? AreaLevel.Unspecified;
            var table = CountsTable(ChildHeading(childLevel));
            foreach (var child in response.Children)
            {
                var name = child.Area is null ? "—" : AnalysisLabels.NameAndCode(child.Area);
                if (child.Area?.Level == AreaLevel.Post)
                {
                    name = string.IsNullOrEmpty(child.Area.Name) ? child.Area.Code : $"{child.Area.Code} — {child.Area.Name}";
                }

                AddCounts(table, name, child.Counts);
            }

            console.Write(table);
        }

        if (withPosts)
        {
            console.WriteLine();
            if (response.Posts.Count == 0)
            {
                console.MarkupLine("Aucun poste attendu sur la période.");
                return;
            }

            var table = NewTable();
            table.AddColumn(new TableColumn("Poste").NoWrap());
            table.AddColumn(new TableColumn("Dép.").NoWrap());
            table.AddColumn(new TableColumn("Att.").RightAligned().NoWrap());
            table.AddColumn(new TableColumn("Reçues").RightAligned().NoWrap());
            table.AddColumn(new TableColumn("Retard").RightAligned().NoWrap());
            table.AddColumn(new TableColumn("Manq.").RightAligned().NoWrap());
            table.AddColumn(new TableColumn("Périodes manquantes"));
            table.AddColumn(new TableColumn("Périodes en retard"));
            foreach (var post in response.Posts)
            {
                var postCounts = post.Counts ?? new CompletenessCounts();
                table.AddRow(
                    new Text(post.PostId),
                    new Text(post.DepartmentCode),
                    new Text(Labels.Number(postCounts.Expected)),
                    new Text(Labels.Number(postCounts.Received)),
                    new Markup(postCounts.Late > 0 ? $"[yellow]{postCounts.Late}[/]" : "0"),
                    new Markup(postCounts.Missing > 0 ? $"[red]{postCounts.Missing}[/]" : "0"),
                    new Text(post.MissingPeriods.Count > 0 ? string.Join(' ', post.MissingPeriods) : "—"),
                    new Text(post.LatePeriods.Count > 0 ? string.Join(' ', post.LatePeriods) : "—"));
            }

            console.Write(table);
        }
    }

    private static string Plural(int count) => count > 1 ? "s" : "";

    private static string ChildHeading(AreaLevel level) => level switch
    {
        AreaLevel.Region => "Région",
        AreaLevel.Department => "Département",
        AreaLevel.Post => "Poste",
        _ => "Zone",
    };

    private static Table CountsTable(string heading)
    {
        var table = NewTable();
        table.AddColumn(new TableColumn(heading));
        table.AddColumn(new TableColumn("Attendues").RightAligned().NoWrap());
        table.AddColumn(new TableColumn("Reçues").RightAligned().NoWrap());
        table.AddColumn(new TableColumn("À l'heure").RightAligned().NoWrap());
        table.AddColumn(new TableColumn("En retard").RightAligned().NoWrap());
        table.AddColumn(new TableColumn("Manquantes").RightAligned().NoWrap());
        table.AddColumn(new TableColumn("Complétude").RightAligned().NoWrap());
        return table;
    }

    private static void AddCounts(Table table, string name, CompletenessCounts? counts)
    {
        counts ??= new CompletenessCounts();
        var completenessStyle = counts.Expected == 0 ? "grey" : counts.Completeness >= 0.95 ? "green" : counts.Completeness >= 0.8 ? "yellow" : "red";
        table.AddRow(
            new Text(name),
            new Text(Labels.Number(counts.Expected)),
            new Text(Labels.Number(counts.Received)),
            new Text(Labels.Number(counts.OnTime)),
            new Markup(counts.Late > 0 ? $"[yellow]{Labels.Number(counts.Late)}[/]" : "0"),
            new Markup(counts.Missing > 0 ? $"[red]{Labels.Number(counts.Missing)}[/]" : "0"),
            new Markup(counts.Expected == 0 ? "[grey]—[/]" : $"[{completenessStyle}]{Markup.Escape(AnalysisLabels.Percent(counts.Completeness))}[/]"));
    }
}
