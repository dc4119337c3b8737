using System.CommandLine;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>observatoire campagne close|reopen|status: when posts may still file a period (administrator only).</summary>
public sealed class CampaignCommand : AdminCommandBase
{
    /// <summary>Creates the command for a server.</summary>
    public CampaignCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        Command Change(string name, string description, bool close)
        {
            var period = Opt<string>("--period", "Période : 2025-03, 2025-T1 ou 2025.", "PÉRIODE", required: true);
            var department = Opt<string>("--department", "Seulement ce département.", "CODE");
            var post = Opt<string>("--post", "Seulement ce poste.", "POSTE");
            var reason = Opt<string>("--reason", "Motif (obligatoire), montré aux postes refusés.", "MOTIF", required: true);
            var command = new Command(name, description) { period, department, post, reason };
            command.SetAction((parseResult, ct) => new CampaignCommand(context, ServerOf(parseResult, serverOption)).ChangeAsync(
                new CampaignRequest
                {
                    Period = parseResult.GetRequiredValue(period),
                    DepartmentCode = parseResult.GetValue(department) ?? "",
                    PostId = parseResult.GetValue(post) ?? "",
                    Reason = parseResult.GetRequiredValue(reason),
                },
                close,
                ct));
            return command;
        }

        var statusPeriod = Opt<string>("--period", "Période : 2025-03, 2025-T1 ou 2025.", "PÉRIODE", required: true);
        var format = CommonOptions.Format();
        var status = new Command("status", "Échéance, clôture automatique et décisions d'une période.") { statusPeriod, format };
        status.SetAction((parseResult, ct) => new CampaignCommand(context, ServerOf(parseResult, serverOption))
            .StatusAsync(parseResult.GetRequiredValue(statusPeriod), parseResult.GetValue(format) ?? CommonOptions.Text, ct));

        return new Command("campagne", "Campagnes de saisie : clôture et réouverture des périodes (administration nationale).")
        {
            Change("close", "Clôt une période pour tous les postes, un département ou un poste.", close: true),
            Change("reopen", "Rouvre une période pour tous les postes, un département ou un poste.", close: false),
            status,
        };
    }

    /// <summary>Closes or reopens, then prints where the period stands.</summary>
    public async Task<int> ChangeAsync(CampaignRequest request, bool close, CancellationToken cancellationToken)
    {
        var status = await TryCallAsync(
            close ? "Période non close" : "Période non rouverte",
            ct => (close ? Admin.CloseCampaignAsync(request, cancellationToken: ct) : Admin.ReopenCampaignAsync(request, cancellationToken: ct)).ResponseAsync,
            cancellationToken);
        if (status is null)
        {
            return ExitCodes.Rejected;
        }

        var target = request.PostId.Length > 0 ? $"le poste {request.PostId}" : request.DepartmentCode.Length > 0 ? $"le département {request.DepartmentCode}" : "tous les postes";
        Console.MarkupLineInterpolated($"[green]Période {status.Period} {(close ? "close" : "rouverte")}[/] pour {target}.");
        Write(status);
        return ExitCodes.Success;
    }

    /// <summary>Prints where a period stands.</summary>
    public async Task<int> StatusAsync(string period, string format, CancellationToken cancellationToken)
    {
        var status = await TryCallAsync("État non obtenu", ct => Admin.GetCampaignAsync(new GetCampaignRequest { Period = period }, cancellationToken: ct).ResponseAsync, cancellationToken);
        if (status is null)
        {
            return ExitCodes.Rejected;
        }

        if (format == CommonOptions.Json)
        {
            return WriteJson(status);
        }

        Write(status);
        return ExitCodes.Success;
    }

    private void Write(CampaignStatus status)
    {
        var closes = status.ClosesOn.Length > 0 ? $", close d'elle-même le {status.ClosesOn}" : ", sans clôture automatique";
        Console.MarkupLineInterpolated($"Période {status.Period} : échéance le {status.Deadline}{closes}.");
        if (status.Decisions.Count == 0)
        {
            Console.MarkupLine("Aucune décision de l'administration.");
            return;
        }

        var table = NewTable("Quand", "Décision", "Pour", "Motif", "Clé");
        foreach (var decision in status.Decisions)
        {
            table.AddRow(
                new Text(Labels.DateTime(decision.At, Context.Settings.TimeZone)),
                new Text(decision.Action == "cloture" ? "clôture" : "réouverture"),
                new Text(decision.PostId.Length > 0 ? decision.PostId : decision.DepartmentCode.Length > 0 ? $"département {decision.DepartmentCode}" : "tous les postes"),
                new Text(decision.Reason),
                new Text(decision.KeyId));
        }

        Console.Write(table);
    }
}
