using System.CommandLine;
using Grpc.Core;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>observatoire schema: shows a version of the Ministry grid (sections, indicators, breakdowns, rules).</summary>
public sealed class SchemaCommand : CommandBase
{
    /// <summary>Creates the command for a server.</summary>
    public SchemaCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var version = new Option<string>("--version")
        {
            Description = "Version exacte du schéma, par exemple 2025.1.",
            HelpName = "VERSION",
        };
        var period = new Option<string>("--period")
        {
            Description = "Période (2025-03, 2025-T1 ou 2025) : la version qui la couvre.",
            HelpName = "PÉRIODE",
        };
        var list = new Option<bool>("--list")
        {
            Description = "Liste les versions que le serveur connaît (embarquées et de son dossier de grilles), avec leurs dates.",
        };
        var format = CommonOptions.Format();
        var command = new Command("schema", "Affiche une version du schéma de la grille statistique (la plus récente par défaut).")
        {
            version,
            period,
            list,
            format,
        };
        command.Validators.Add(result =>
        {
            if (new[] { result.GetResult(version), result.GetResult(period), result.GetResult(list) }.Count(r => r is not null) > 1)
            {
                result.AddError("--version, --period et --list ne peuvent pas être utilisées ensemble.");
            }
        });
        command.SetAction((parseResult, cancellationToken) =>
        {
            var command = new SchemaCommand(context, ServerOf(parseResult, serverOption));
            var output = parseResult.GetValue(format) ?? CommonOptions.Text;
            return parseResult.GetValue(list)
                ? command.ListAsync(output, cancellationToken)
                : command.ExecuteAsync(parseResult.GetValue(version), parseResult.GetValue(period), output, cancellationToken);
        });
        return command;
    }

    /// <summary>Fetches the schema and prints it; returns the exit code.</summary>
    public async Task<int> ExecuteAsync(string? version, string? period, string format, CancellationToken cancellationToken)
    {
        var client = new SchemaService.SchemaServiceClient(Channel);
        var request = new GetSchemaRequest { Version = version ?? "", Period = period ?? "" };
        Schema schema;
        try
        {
            schema = await CallAsync(ct => client.GetSchemaAsync(request, cancellationToken: ct).ResponseAsync, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Unavailable)
        {
            var what = !string.IsNullOrEmpty(version) ? $"version {version}"
                : !string.IsNullOrEmpty(period) ? $"période {period}"
                : "version la plus récente";
            Context.Error.MarkupLineInterpolated($"[red]Schéma non obtenu ({what}) : {RpcErrors.StatusName(ex.StatusCode)}[/] — {RpcErrors.Detail(ex)}");
            ViolationRenderer.Write(Context.Error, RpcErrors.Violations(ex));
            return ExitCodes.Rejected;
        }

        if (format == CommonOptions.Json)
        {
            Context.WriteRaw(CommonOptions.JsonFormatter.Format(schema) + Environment.NewLine);
        }
        else
        {
            Render(schema);
        }

        return ExitCodes.Success;
    }

    /// <summary>Lists the versions the server knows, oldest first; returns the exit code.</summary>
    public async Task<int> ListAsync(string format, CancellationToken cancellationToken)
    {
        var client = new SchemaService.SchemaServiceClient(Channel);
        ListSchemasResponse answer;
        try
        {
            answer = await CallAsync(ct => client.ListSchemasAsync(new ListSchemasRequest(), cancellationToken: ct).ResponseAsync, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Unavailable)
        {
            Context.Error.MarkupLineInterpolated($"[red]Versions non obtenues : {RpcErrors.StatusName(ex.StatusCode)}[/] — {RpcErrors.Detail(ex)}");
            return ExitCodes.Rejected;
        }

        if (format == CommonOptions.Json)
        {
            Context.WriteRaw(CommonOptions.JsonFormatter.Format(answer) + Environment.NewLine);
            return ExitCodes.Success;
        }

        var table = new Table().RoundedBorder().AddColumn("Version").AddColumn("Du").AddColumn("Au").AddColumn("Titre");
        foreach (var schema in answer.Schemas)
        {
            table.AddRow(
                Markup.Escape(schema.Version),
                Labels.IsoDate(schema.ValidFrom),
                Labels.IsoDate(schema.ValidTo, "(sans date de fin)"),
                Markup.Escape(schema.Title));
        }

        Console.Write(table);
        return ExitCodes.Success;
    }

    private void Render(Schema schema)
    {
        var title = string.IsNullOrEmpty(schema.Title) ? "" : $" — {Markup.Escape(schema.Title)}";
        Console.MarkupLine($"[bold]Schéma {Markup.Escape(schema.Version)}[/]{title}");
        Console.MarkupLineInterpolated(
            $"Valable du [bold]{Labels.IsoDate(schema.ValidFrom)}[/] au [bold]{Labels.IsoDate(schema.ValidTo, "(sans date de fin)")}[/]");
        var limits = new List<string>();
        if (schema.MaxValue > 0)
        {
            limits.Add($"valeur maximale d'une cellule : {Labels.Number(schema.MaxValue)}");
        }

        if (schema.MaxCommentLength > 0)
        {
            limits.Add($"commentaire : {Labels.Number(schema.MaxCommentLength)} caractères au plus");
        }

        if (limits.Count > 0)
        {
            Console.MarkupLineInterpolated($"[grey]{string.Join(" · ", limits)}[/]");
        }

        Console.WriteLine();
        foreach (var section in schema.Sections)
        {
            Console.Write(SectionTree(schema, section));
            Console.WriteLine();
        }

        if (schema.Rules.Count > 0)
        {
            Console.Write(RulesTree(schema.Rules));
        }
    }

    private static Tree SectionTree(Schema schema, Section section)
    {
        var tree = new Tree($"[bold]Section {Markup.Escape(section.Code)}[/] — {Markup.Escape(section.Label)}");

        // Breakdowns of indicators declared elsewhere but shown in this section of the form.
        var shownHere = schema.Sections
            .Where(other => other.Code != section.Code)
            .SelectMany(other => other.Indicators)
            .SelectMany(indicator => indicator.Breakdowns
                .Where(b => !string.IsNullOrEmpty(section.Code) && b.Section == section.Code)
                .Select(b => $"{indicator.Code}[{string.Join(",", b.Dimensions.Select(d => $"{d.Code}=…"))}]"))
            .ToList();
        if (shownHere.Count > 0)
        {
            tree.AddNode($"[grey]ventilations présentées dans cette section : {Markup.Escape(string.Join(" ; ", shownHere))}[/]");
        }
        else if (section.Indicators.Count == 0)
        {
            tree.AddNode("[grey](aucun indicateur)[/]");
        }

        foreach (var indicator in section.Indicators)
        {
            var details = new List<string>();
            if (!string.IsNullOrEmpty(indicator.Unit))
            {
                details.Add(indicator.Unit);
            }

            details.Add($"agrégation : {Labels.Aggregation(indicator.Aggregation)}");
            details.Add(indicator.HasTotal ? "total obligatoire" : "sans total");
            var text = $"[bold]{Markup.Escape(indicator.Code)}[/] — {Markup.Escape(indicator.Label)} [grey]({Markup.Escape(string.Join(", ", details))})[/]";
            if (!string.IsNullOrEmpty(indicator.Description))
            {
                text += $"\n[grey]{Markup.Escape(indicator.Description)}[/]";
            }

            var node = tree.AddNode(text);
            foreach (var breakdown in indicator.Breakdowns)
            {
                node.AddNode(BreakdownNode(indicator, breakdown));
            }
        }

        return tree;
    }

    private static TreeNode BreakdownNode(Indicator indicator, Breakdown breakdown)
    {
        var text = $"ventilation [bold]{Markup.Escape(breakdown.Code)}[/]";
        if (!string.IsNullOrEmpty(breakdown.Label))
        {
            text += $" — {Markup.Escape(breakdown.Label)}";
        }

        if (!string.IsNullOrEmpty(breakdown.Section))
        {
            text += $" [grey](section {Markup.Escape(breakdown.Section)})[/]";
        }

        if (breakdown.SumsToTotal)
        {
            text += " [green](somme = total)[/]";
        }

        if (breakdown.Aggregation != Aggregation.Unspecified && breakdown.Aggregation != indicator.Aggregation)
        {
            text += $" [grey](agrégation : {Labels.Aggregation(breakdown.Aggregation)})[/]";
        }

        var example = $"{indicator.Code}[{string.Join(",", breakdown.Dimensions.Select(d => $"{d.Code}=…"))}]";
        text += $"\n[grey]cellules : {Markup.Escape(example)}[/]";

        var node = new TreeNode(new Markup(text));
        foreach (var dimension in breakdown.Dimensions)
        {
            var dimensionNode = node.AddNode(
                $"dimension [bold]{Markup.Escape(dimension.Code)}[/] — {Markup.Escape(dimension.Label)} [grey]({dimension.Options.Count} options)[/]");
            foreach (var option in dimension.Options)
            {
                dimensionNode.AddNode($"[cyan]{Markup.Escape(option.Code)}[/] — {Markup.Escape(option.Label)}");
            }
        }

        return node;
    }

    private static Tree RulesTree(IReadOnlyCollection<Protos.V1.Rule> rules)
    {
        var tree = new Tree($"[bold]Règles ({rules.Count})[/]");
        foreach (var rule in rules)
        {
            var kind = rule.Kind switch
            {
                "builtin" => " [grey](règle intégrée)[/]",
                "coherence" => " [grey](bilan annuel : cohérence avec les mois ou trimestres)[/]",
                "expression" or "" => "",
                _ => $" [grey]({Markup.Escape(rule.Kind)})[/]",
            };
            var node = tree.AddNode(
                $"[bold]{Markup.Escape(rule.Code)}[/] [{Labels.SeverityStyle(rule.Severity)}]{Labels.Severity(rule.Severity)}[/]{kind}");
            var text = Markup.Escape(rule.Message);
            if (!string.IsNullOrEmpty(rule.Expression))
            {
                text += $"\n[grey]{Markup.Escape(rule.Expression)}[/]";
            }

            node.AddNode(text);
        }

        return tree;
    }
}
