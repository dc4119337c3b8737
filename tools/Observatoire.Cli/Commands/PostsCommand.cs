using System.CommandLine;
using System.Globalization;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>observatoire posts list|add|update|deactivate|move: the registry of posts (changes: administrator only).</summary>
public sealed class PostsCommand : AdminCommandBase
{
    private static readonly Dictionary<string, ReportingFrequency> Frequencies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mois"] = ReportingFrequency.Month,
        ["trimestre"] = ReportingFrequency.Quarter,
        ["annee"] = ReportingFrequency.Year,
    };

    private static readonly Dictionary<string, Zone> Zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["police"] = Zone.Police,
        ["gendarmerie"] = Zone.Gendarmerie,
        ["mixte"] = Zone.Mixte,
    };

    /// <summary>Creates the command for a server.</summary>
    public PostsCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var listDepartment = Opt<string>("--department", "Seulement les postes de ce département.", "CODE");
        var activeOn = Opt<string>("--active-on", "Seulement les postes actifs ce jour (AAAA-MM-JJ).", "DATE");
        var listFormat = CommonOptions.Format();
        var list = new Command("list", "Liste les postes du registre.") { listDepartment, activeOn, listFormat };
        list.SetAction((parseResult, ct) => new PostsCommand(context, ServerOf(parseResult, serverOption)).ListAsync(
            new ListPostsRequest { DepartmentCode = parseResult.GetValue(listDepartment) ?? "", ActiveOn = parseResult.GetValue(activeOn) ?? "" },
            parseResult.GetValue(listFormat) ?? CommonOptions.Text,
            ct));

        var id = Opt<string>("--id", "Identifiant du nouveau poste, par exemple P-48-010.", "POSTE", required: true);
        var name = Opt<string>("--name", "Nom du poste.", "NOM", required: true);
        var department = Opt<string>("--department", "Département du poste.", "CODE", required: true);
        var frequency = Opt<string>("--frequency", "Fréquence de remontée : mois, trimestre ou annee.", "FRÉQUENCE", required: true);
        frequency.AcceptOnlyFromAmong([.. Frequencies.Keys]);
        var zone = Opt<string>("--zone", "Zone : police, gendarmerie ou mixte (défaut mixte).", "ZONE");
        zone.AcceptOnlyFromAmong([.. Zones.Keys]);
        var fte = Opt<double>("--fte", "Équivalent temps plein (défaut 1).", "ETP");
        var from = Opt<string>("--from", "Premier jour d'activité (AAAA-MM-JJ).", "DATE", required: true);
        var add = new Command("add", "Ajoute un poste au registre : connu de tous les contrôles dès la réponse.") { id, name, department, frequency, zone, fte, from };
        add.SetAction((parseResult, ct) => new PostsCommand(context, ServerOf(parseResult, serverOption)).AddAsync(
            new Post
            {
                Id = parseResult.GetRequiredValue(id),
                Name = parseResult.GetRequiredValue(name),
                DepartmentCode = parseResult.GetRequiredValue(department),
                Frequency = Frequencies[parseResult.GetRequiredValue(frequency)],
                Zone = parseResult.GetValue(zone) is { } z ? Zones[z] : Zone.Mixte,
                Fte = parseResult.GetValue(fte),
                ActiveFrom = parseResult.GetRequiredValue(from),
            },
            ct));

        var postId = new Argument<string>("POSTE") { Description = "Identifiant du poste." };
        var to = Opt<string>("--to", "Dernier jour d'activité (AAAA-MM-JJ).", "DATE", required: true);
        var reason = Opt<string>("--reason", "Motif, gardé au journal d'audit.", "MOTIF");
        var deactivate = new Command("deactivate", "Ferme un poste après un jour donné.") { postId, to, reason };
        deactivate.SetAction((parseResult, ct) =>
        {
            var posts = new PostsCommand(context, ServerOf(parseResult, serverOption));
            var request = new DeactivatePostRequest { Id = parseResult.GetRequiredValue(postId), ActiveTo = parseResult.GetRequiredValue(to), Reason = parseResult.GetValue(reason) ?? "" };
            return posts.ChangeAsync("Poste non fermé", c => posts.Admin.DeactivatePostAsync(request, cancellationToken: c).ResponseAsync, ct);
        });

        var movePost = new Argument<string>("POSTE") { Description = "Identifiant du poste." };
        var moveDepartment = Opt<string>("--department", "Nouveau département.", "CODE", required: true);
        var moveFrom = Opt<string>("--from", "Premier jour dans le nouveau département (AAAA-MM-JJ).", "DATE", required: true);
        var moveReason = Opt<string>("--reason", "Motif, gardé au journal d'audit.", "MOTIF");
        var move = new Command("move", "Rattache un poste à un autre département à partir d'un jour.") { movePost, moveDepartment, moveFrom, moveReason };
        move.SetAction((parseResult, ct) =>
        {
            var posts = new PostsCommand(context, ServerOf(parseResult, serverOption));
            var request = new MovePostRequest
            {
                Id = parseResult.GetRequiredValue(movePost),
                DepartmentCode = parseResult.GetRequiredValue(moveDepartment),
                From = parseResult.GetRequiredValue(moveFrom),
                Reason = parseResult.GetValue(moveReason) ?? "",
            };
            return posts.ChangeAsync("Poste non déplacé", c => posts.Admin.MovePostAsync(request, cancellationToken: c).ResponseAsync, ct);
        });

        var updatePost = new Argument<string>("POSTE") { Description = "Identifiant du poste." };
        var updateName = Opt<string>("--name", "Nouveau nom.", "NOM");
        var updateZone = Opt<string>("--zone", "Nouvelle zone : police, gendarmerie ou mixte.", "ZONE");
        updateZone.AcceptOnlyFromAmong([.. Zones.Keys]);
        var updateFte = Opt<double>("--fte", "Nouvel équivalent temps plein.", "ETP");
        var updateReason = Opt<string>("--reason", "Motif, gardé au journal d'audit.", "MOTIF");
        var update = new Command("update", "Corrige le nom, la zone ou l'ETP d'un poste (ce qui n'est pas donné reste).") { updatePost, updateName, updateZone, updateFte, updateReason };
        update.SetAction((parseResult, ct) =>
        {
            var posts = new PostsCommand(context, ServerOf(parseResult, serverOption));
            var request = new UpdatePostRequest
            {
                Id = parseResult.GetRequiredValue(updatePost),
                Name = parseResult.GetValue(updateName) ?? "",
                Zone = parseResult.GetValue(updateZone) is { } z ? Zones[z] : Zone.Unspecified,
                Fte = parseResult.GetValue(updateFte),
                Reason = parseResult.GetValue(updateReason) ?? "",
            };
            return posts.ChangeAsync("Poste non modifié", c => posts.Admin.UpdatePostAsync(request, cancellationToken: c).ResponseAsync, ct);
        });

        return new Command("posts", "Registre des postes (modifications : administration nationale).") { list, add, update, deactivate, move };
    }

    /// <summary>Lists posts.</summary>
    public async Task<int> ListAsync(ListPostsRequest request, string format, CancellationToken cancellationToken)
    {
        var registry = new RegistryService.RegistryServiceClient(Channel);
        var response = await TryCallAsync("Postes non obtenus", ct => registry.ListPostsAsync(request, cancellationToken: ct).ResponseAsync, cancellationToken);
        if (response is null)
        {
            return ExitCodes.Rejected;
        }

        if (format == CommonOptions.Json)
        {
            return WriteJson(response);
        }

        var table = NewTable("Poste", "Nom", "Département", "Zone", "ETP", "Fréquence", "Actif du", "au");
        foreach (var post in response.Posts)
        {
            table.AddRow(
                post.Id,
                Markup.Escape(post.Name),
                post.DepartmentCode,
                Zones.FirstOrDefault(z => z.Value == post.Zone).Key ?? "",
                post.Fte.ToString("0.##", Labels.French),
                Frequencies.FirstOrDefault(f => f.Value == post.Frequency).Key ?? "",
                Labels.IsoDate(post.ActiveFrom),
                Labels.IsoDate(post.ActiveTo));
        }

        Console.MarkupLineInterpolated($"[bold]{Labels.Count(response.Posts.Count, "poste", "postes")}[/]");
        Console.Write(table);
        return ExitCodes.Success;
    }

    /// <summary>Adds a post.</summary>
    public Task<int> AddAsync(Post post, CancellationToken cancellationToken) =>
        ChangeAsync("Poste non ajouté", ct => Admin.AddPostAsync(new AddPostRequest { Post = post }, cancellationToken: ct).ResponseAsync, cancellationToken);

    private async Task<int> ChangeAsync(string what, Func<CancellationToken, Task<Post>> call, CancellationToken cancellationToken)
    {
        var post = await TryCallAsync(what, call, cancellationToken);
        if (post is null)
        {
            return ExitCodes.Rejected;
        }

        var until = post.ActiveTo.Length > 0 ? $" au {post.ActiveTo}" : "";
        Console.MarkupLineInterpolated(
            $"[green]Poste {post.Id}[/] — {post.Name}, département {post.DepartmentCode}, actif du {post.ActiveFrom}{until}, ETP {post.Fte.ToString("0.##", CultureInfo.GetCultureInfo("fr-FR"))}.");
        return ExitCodes.Success;
    }
}
