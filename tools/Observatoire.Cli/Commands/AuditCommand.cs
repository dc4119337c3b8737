using System.CommandLine;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>observatoire audit: the append-only audit log (administrator only), newest first.</summary>
public sealed class AuditCommand : AdminCommandBase
{
    /// <summary>Creates the command for a server.</summary>
    public AuditCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var post = Opt<string>("--post", "Seulement ce poste.", "POSTE");
        var key = Opt<string>("--key", "Seulement cette clé (identifiant).", "ID");
        var action = Opt<string>("--action", "Seulement cette action (grille.depot, lecture.brute...) ou ce préfixe (« grille. »).", "ACTION");
        var from = Opt<string>("--from", "Depuis ce jour (AAAA-MM-JJ).", "DATE");
        var to = Opt<string>("--to", "Jusqu'à ce jour inclus (AAAA-MM-JJ).", "DATE");
        var limit = Opt<int>("--limit", "Au plus ce nombre de lignes (défaut 100, au plus 1000).", "N");
        var format = CommonOptions.Format();
        var command = new Command("audit", "Journal d'audit : qui (clé), quand, d'où, quoi (administration nationale).")
        {
            post, key, action, from, to, limit, format,
        };
        command.SetAction((parseResult, ct) => new AuditCommand(context, ServerOf(parseResult, serverOption)).ExecuteAsync(
            new ListAuditRequest
            {
                PostId = parseResult.GetValue(post) ?? "",
                KeyId = parseResult.GetValue(key) ?? "",
                Action = parseResult.GetValue(action) ?? "",
                From = parseResult.GetValue(from) ?? "",
                To = parseResult.GetValue(to) ?? "",
                Limit = parseResult.GetValue(limit),
            },
            parseResult.GetValue(format) ?? CommonOptions.Text,
            ct));
        return command;
    }

    /// <summary>Prints the matching entries.</summary>
    public async Task<int> ExecuteAsync(ListAuditRequest request, string format, CancellationToken cancellationToken)
    {
        var response = await TryCallAsync("Journal non obtenu", ct => Admin.ListAuditAsync(request, cancellationToken: ct).ResponseAsync, cancellationToken);
        if (response is null)
        {
            return ExitCodes.Rejected;
        }

        if (format == CommonOptions.Json)
        {
            return WriteJson(response);
        }

        var table = NewTable("N°", "Quand", "Clé", "Adresse", "Action", "Objet", "Détail");
        foreach (var entry in response.Entries)
        {
            table.AddRow(
                new Text(entry.Id.ToString(Labels.French)),
                new Text(Labels.DateTime(entry.At, Context.Settings.TimeZone)),
                new Text(entry.KeyId),
                new Text(entry.RemoteAddress),
                new Text(entry.Action),
                new Text(entry.Target),
                new Text(entry.Detail));
        }

        var more = response.Truncated ? " (d'autres lignes correspondent : resserrez les filtres ou augmentez --limit)" : "";
        Console.MarkupLineInterpolated($"[bold]{Labels.Count(response.Entries.Count, "ligne", "lignes")}[/]{more}");
        Console.Write(table);
        return ExitCodes.Success;
    }
}
