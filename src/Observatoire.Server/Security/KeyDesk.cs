using Observatoire.Core.Access;
using Observatoire.Core.Consolidation;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Audit;
using Observatoire.Server.Grpc;
using Api = Observatoire.Protos.V1;
using Entities = Observatoire.Data.Entities;

namespace Observatoire.Server.Security;

/// <summary>
/// The administrator's keys and audit log, for AdminService and the admin pages alike: what a grant may be (role,
/// posts, scope), key creation and revocation (audited), the audit log's filters.
/// </summary>
internal sealed class KeyDesk(ApiKeyStore keys, AuditLog audit, ConsolidationState state, TimeProvider clock)
{
    private const int MaxPostsPerKey = 50;
    private const int DefaultAuditLimit = 100;
    private const int MaxAuditLimit = 1000;

    /// <summary>
    /// A role with its posts and scope, as a key or an account carries them: a post role names 1 to 50 existing posts,
    /// an analyst an existing area; INVALID_ARGUMENT otherwise, with the field named as in CreateKeyRequest.
    /// </summary>
    public (Role Role, IReadOnlyList<string> Posts, AnalystScope? Scope) Grant(Api.Role role, IEnumerable<string> postIds, string scopeText)
    {
        var parsed = role switch
        {
            Api.Role.Poste => Role.Poste,
            Api.Role.Analyste => Role.Analyste,
            Api.Role.Rapport => Role.Rapport,
            Api.Role.Admin => Role.Admin,
            _ => throw RpcErrors.InvalidField("role", "ROLE_ABSENT", "Le rôle est obligatoire : poste, analyste, rapport ou admin."),
        };
        var posts = postIds.Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (parsed == Role.Poste && (posts.Count is 0 or > MaxPostsPerKey))
        {
            throw RpcErrors.InvalidField("post_ids", "POSTES_ABSENTS", $"Une clé de poste nomme de 1 à {MaxPostsPerKey} postes.");
        }

        if (parsed != Role.Poste && posts.Count > 0)
        {
            throw RpcErrors.InvalidField("post_ids", "POSTES_INATTENDUS", "Seule une clé de rôle poste nomme des postes.");
        }

        if (posts.FirstOrDefault(p => !state.Registry.Posts.ContainsKey(p)) is { } unknown)
        {
            throw RpcErrors.InvalidField("post_ids", "POSTE_INCONNU", $"Le poste « {unknown} » n'existe pas dans le registre.");
        }

        AnalystScope? scope = null;
        if (parsed == Role.Analyste)
        {
            if (!AnalystScope.TryParse(scopeText, out var area)
                || (area.Level != AreaLevel.National && !state.Registry.Exists(new AreaRef(area.Level, area.Code))))
            {
                throw RpcErrors.InvalidField("scope", "PERIMETRE_INVALIDE", $"Périmètre « {scopeText} » invalide : national, region:XX ou departement:XX (une zone existante).");
            }

            scope = area;
        }
        else if (scopeText.Length > 0)
        {
            throw RpcErrors.InvalidField("scope", "PERIMETRE_INATTENDU", "Seule une clé de rôle analyste a un périmètre.");
        }

        return (parsed, posts, scope);
    }

    public async Task<Api.CreateKeyResponse> CreateAsync(Api.CreateKeyRequest request, CallerScope caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (role, posts, scope) = Grant(request.Role, request.PostIds, request.Scope);

        DateTime? expires = null;
        if (request.ExpiresOn.Length > 0)
        {
            var day = ProtoMapping.ParseDate(request.ExpiresOn, "expires_on");
            if (day < DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
            {
                throw RpcErrors.InvalidField("expires_on", "EXPIRATION_INVALIDE", $"Date d'expiration « {request.ExpiresOn} » invalide : AAAA-MM-JJ, aujourd'hui ou plus tard.");
            }

            expires = day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        }

        if (request.Name.Length > Data.DataLimits.Name)
        {
            throw RpcErrors.InvalidField("name", "NOM_TROP_LONG", $"Le libellé compte au plus {Data.DataLimits.Name} caractères.");
        }

        if (Core.Validation.ClientText.StartsLikeAFormula(request.Name))
        {
            throw RpcErrors.InvalidField("name", "NOM_FORMULE", "Le libellé ne commence pas par « = », « + », « - » ou « @ » : un tableur qui ouvre un export le prendrait pour une formule.");
        }

        var (info, key) = await keys.CreateAsync(role, posts, scope, expires, request.Name.Length > 0 ? request.Name : null, caller.KeyId, ct);
        await audit.RecordAsync(caller, AuditActions.KeyCreated, info.Id, posts.Count == 1 ? posts[0] : null, Describe(info), ct);
        return new Api.CreateKeyResponse { Info = ToProto(info), Key = key };
    }

    public async Task<Api.ListKeysResponse> ListAsync(Api.ListKeysRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var list = await keys.ListAsync(request.IncludeInactive, ct);
        return new Api.ListKeysResponse { Keys = { list.Select(ToProto) } };
    }

    public async Task<Api.ApiKeyInfo> RevokeAsync(Api.RevokeKeyRequest request, CallerScope caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = await keys.RevokeAsync(request.Id, ct)
            ?? throw RpcErrors.NotFound($"La clé « {request.Id} » n'existe pas.");
        await audit.RecordAsync(caller, AuditActions.KeyRevoked, key.Id, null, Describe(key), ct);
        return ToProto(key);
    }

    public async Task<Api.ListAuditResponse> ListAuditAsync(Api.ListAuditRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = request.Limit == 0 ? DefaultAuditLimit : request.Limit;
        if (limit is < 1 or > MaxAuditLimit)
        {
            throw RpcErrors.InvalidField("limit", "LIMITE_INVALIDE", $"La limite va de 1 à {MaxAuditLimit}.");
        }

        var filter = new AuditFilter(
            request.PostId,
            request.KeyId,
            request.Action,
            Day(request.From, "from"),
            Day(request.To, "to")?.AddDays(1),
            limit);
        var (entries, truncated) = await audit.ListAsync(filter, ct);
        return new Api.ListAuditResponse
        {
            Truncated = truncated,
            Entries =
            {
                entries.Select(e => new Api.AuditEntry
                {
                    Id = e.Id,
                    At = ProtoMapping.Utc(e.AtUtc),
                    KeyId = e.KeyId,
                    RemoteAddress = e.RemoteAddress,
                    Action = e.Action,
                    Target = e.Target,
                    PostId = e.PostId ?? "",
                    Detail = e.Detail ?? "",
                }),
            },
        };
    }

    private static DateTime? Day(string text, string field) =>
        text.Length == 0 ? null : ProtoMapping.ParseDate(text, field).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    private static string Describe(Entities.ApiKey key) =>
        $"rôle {RoleNames.Of(key.Role)}" + (key.Posts.Length > 0 ? $", postes {key.Posts}" : "") + (key.Scope is { } s ? $", périmètre {s}" : "");

    private static Api.ApiKeyInfo ToProto(Entities.ApiKey key)
    {
        var info = new Api.ApiKeyInfo
        {
            Id = key.Id,
            Name = key.Name ?? "",
            Role = (Api.Role)(int)key.Role,
            Scope = key.Scope ?? "",
            CreatedAt = ProtoMapping.Utc(key.CreatedAtUtc),
            CreatedBy = key.CreatedBy,
        };
        info.PostIds.AddRange(key.Posts.Split(',', StringSplitOptions.RemoveEmptyEntries));
        if (key.ExpiresAtUtc is { } expires)
        {
            info.ExpiresAt = ProtoMapping.Utc(expires);
        }

        if (key.RevokedAtUtc is { } revoked)
        {
            info.RevokedAt = ProtoMapping.Utc(revoked);
        }

        if (key.LastUsedAtUtc is { } used)
        {
            info.LastUsedAt = ProtoMapping.Utc(used);
        }

        return info;
    }
}
