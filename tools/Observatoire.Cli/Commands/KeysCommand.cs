using System.CommandLine;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>observatoire keys create|list|revoke: the API keys (administrator only).</summary>
public sealed class KeysCommand : AdminCommandBase
{
    private static readonly Dictionary<string, Role> Roles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["poste"] = Role.Poste,
        ["analyste"] = Role.Analyste,
        ["rapport"] = Role.Rapport,
        ["admin"] = Role.Admin,
    };

    /// <summary>Creates the command for a server.</summary>
    public KeysCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var role = Opt<string>("--role", "Rôle : poste, analyste, rapport ou admin.", "RÔLE", required: true);
        role.AcceptOnlyFromAmong([.. Roles.Keys]);
        var posts = Opt<string[]>("--post", "Poste d'une clé de rôle poste (répétable).", "POSTE");
        posts.AllowMultipleArgumentsPerToken = true;
        var scope = Opt<string>("--scope", "Périmètre d'une clé d'analyste : national, region:76 ou departement:48.", "PÉRIMÈTRE");
        var expires = Opt<string>("--expires", "Dernier jour de validité (AAAA-MM-JJ) ; sans elle, la clé n'expire pas.", "DATE");
        var name = Opt<string>("--name", "Libellé : qui détient la clé.", "LIBELLÉ");
        var createFormat = CommonOptions.Format();
        var create = new Command("create", "Crée une clé ; la clé n'est affichée qu'une fois (--format json : champ « key »).")
        {
            role, posts, scope, expires, name, createFormat,
        };
        create.SetAction((parseResult, ct) => new KeysCommand(context, ServerOf(parseResult, serverOption)).CreateAsync(
            new CreateKeyRequest
            {
                Role = Roles[parseResult.GetRequiredValue(role)],
                PostIds = { parseResult.GetValue(posts) ?? [] },
                Scope = parseResult.GetValue(scope) ?? "",
                ExpiresOn = parseResult.GetValue(expires) ?? "",
                Name = parseResult.GetValue(name) ?? "",
            },
            parseResult.GetValue(createFormat) ?? CommonOptions.Text,
            ct));

        var all = new Option<bool>("--all") { Description = "Avec les clés révoquées et expirées." };
        var listFormat = CommonOptions.Format();
        var list = new Command("list", "Liste les clés (identifiant, rôle, périmètre, expiration, dernier usage ; jamais la clé).") { all, listFormat };
        list.SetAction((parseResult, ct) => new KeysCommand(context, ServerOf(parseResult, serverOption))
            .ListAsync(parseResult.GetValue(all), parseResult.GetValue(listFormat) ?? CommonOptions.Text, ct));

        var id = new Argument<string>("ID") { Description = "Identifiant de la clé (celui de « keys list »)." };
        var revoke = new Command("revoke", "Révoque une clé immédiatement.") { id };
        revoke.SetAction((parseResult, ct) => new KeysCommand(context, ServerOf(parseResult, serverOption)).RevokeAsync(parseResult.GetRequiredValue(id), ct));

        return new Command("keys", "Clés d'API (administration nationale).") { create, list, revoke };
    }

    /// <summary>Creates a key and prints it once.</summary>
    public async Task<int> CreateAsync(CreateKeyRequest request, string format, CancellationToken cancellationToken)
    {
        var response = await TryCallAsync("Clé non créée", ct => Admin.CreateKeyAsync(request, cancellationToken: ct).ResponseAsync, cancellationToken);
        if (response is null)
        {
            return ExitCodes.Rejected;
        }

        if (format == CommonOptions.Json)
        {
            return WriteJson(response);
        }

        Console.MarkupLineInterpolated($"[green]Clé {response.Info.Id} créée[/] ({Describe(response.Info)}).");
        Console.MarkupLine("Clé, affichée cette seule fois (conservez-la, le serveur n'en garde qu'une empreinte) :");
        Context.WriteRaw(response.Key + Environment.NewLine);
        return ExitCodes.Success;
    }

    /// <summary>Lists the keys.</summary>
    public async Task<int> ListAsync(bool all, string format, CancellationToken cancellationToken)
    {
        var response = await TryCallAsync("Clés non obtenues", ct => Admin.ListKeysAsync(new ListKeysRequest { IncludeInactive = all }, cancellationToken: ct).ResponseAsync, cancellationToken);
        if (response is null)
        {
            return ExitCodes.Rejected;
        }

        if (format == CommonOptions.Json)
        {
            return WriteJson(response);
        }

        var zone = Context.Settings.TimeZone;
        var table = NewTable("Identifiant", "Rôle", "Postes / périmètre", "Libellé", "Créée le", "Expire le", "Dernier usage", "État");
        foreach (var key in response.Keys)
        {
            table.AddRow(
                new Text(key.Id),
                new Text(RoleName(key.Role)),
                new Text(key.PostIds.Count > 0 ? string.Join(", ", key.PostIds) : key.Scope),
                new Text(key.Name),
                new Text(DateOrEmpty(key.CreatedAt, zone)),
                new Text(DateOrEmpty(key.ExpiresAt, zone)),
                new Text(DateOrEmpty(key.LastUsedAt, zone)),
                new Text(key.RevokedAt is not null ? "révoquée" : key.ExpiresAt is not null && key.ExpiresAt.ToDateTime() <= DateTime.UtcNow ? "expirée" : "active"));
        }

        Console.MarkupLineInterpolated($"[bold]{Labels.Count(response.Keys.Count, "clé", "clés")}[/]");
        Console.Write(table);
        return ExitCodes.Success;
    }

    /// <summary>Revokes a key.</summary>
    public async Task<int> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        var key = await TryCallAsync($"Clé {id} non révoquée", ct => Admin.RevokeKeyAsync(new RevokeKeyRequest { Id = id }, cancellationToken: ct).ResponseAsync, cancellationToken);
        if (key is null)
        {
            return ExitCodes.Rejected;
        }

        Console.MarkupLineInterpolated($"[green]Clé {key.Id} révoquée[/] ({Describe(key)}).");
        return ExitCodes.Success;
    }

    private static string RoleName(Role role) => Roles.FirstOrDefault(r => r.Value == role).Key ?? role.ToString();

    private static string Describe(ApiKeyInfo key) =>
        $"rôle {RoleName(key.Role)}"
        + (key.PostIds.Count > 0 ? $", postes {string.Join(", ", key.PostIds)}" : "")
        + (key.Scope.Length > 0 ? $", périmètre {key.Scope}" : "")
        + (key.ExpiresAt is not null ? $", expire le {key.ExpiresAt.ToDateTime().AddDays(-1):yyyy-MM-dd} au soir (UTC)" : "");
}
