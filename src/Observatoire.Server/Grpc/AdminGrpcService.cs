using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Observatoire.Core.Access;
using Observatoire.Core.Consolidation;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Audit;
using Observatoire.Server.Backups;
using Observatoire.Server.Campaigns;
using Observatoire.Server.Registry;
using Observatoire.Server.Security;
using Api = Observatoire.Protos.V1;
using CoreRegistry = Observatoire.Core.Registry;
using Entities = Observatoire.Data.Entities;

namespace Observatoire.Server.Grpc;

/// <summary>The administrator's service: keys, audit log, registry changes. Every method needs an admin key.</summary>
[Authorize(Policy = Rights.Administer)]
internal sealed class AdminGrpcService(
    ApiKeyStore keys,
    AuditLog audit,
    RegistryEditor registry,
    ConsolidationState state,
    CampaignDesk campaigns,
    BackupMaker backups,
    TimeProvider clock) : Api.AdminService.AdminServiceBase
{
    private const int MaxPostsPerKey = 50;
    private const int DefaultAuditLimit = 100;
    private const int MaxAuditLimit = 1000;
    private const int BackupChunkBytes = 256 * 1024;

    public override async Task<Api.CreateKeyResponse> CreateKey(Api.CreateKeyRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var role = request.Role switch
        {
            Api.Role.Poste => Role.Poste,
            Api.Role.Analyste => Role.Analyste,
            Api.Role.Rapport => Role.Rapport,
            Api.Role.Admin => Role.Admin,
            _ => throw RpcErrors.InvalidField("role", "ROLE_ABSENT", "Le rôle est obligatoire : poste, analyste, rapport ou admin."),
        };
        var posts = request.PostIds.Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (role == Role.Poste && (posts.Count is 0 or > MaxPostsPerKey))
        {
            throw RpcErrors.InvalidField("post_ids", "POSTES_ABSENTS", $"Une clé de poste nomme de 1 à {MaxPostsPerKey} postes.");
        }

        if (role != Role.Poste && posts.Count > 0)
        {
            throw RpcErrors.InvalidField("post_ids", "POSTES_INATTENDUS", "Seule une clé de rôle poste nomme des postes.");
        }

        if (posts.FirstOrDefault(p => !state.Registry.Posts.ContainsKey(p)) is { } unknown)
        {
            throw RpcErrors.InvalidField("post_ids", "POSTE_INCONNU", $"Le poste « {unknown} » n'existe pas dans le registre.");
        }

        AnalystScope? scope = null;
        if (role == Role.Analyste)
        {
            if (!AnalystScope.TryParse(request.Scope, out var parsed)
                || (parsed.Level != AreaLevel.National && !state.Registry.Exists(new AreaRef(parsed.Level, parsed.Code))))
            {
                throw RpcErrors.InvalidField("scope", "PERIMETRE_INVALIDE", $"Périmètre « {request.Scope} » invalide : national, region:XX ou departement:XX (une zone existante).");
            }

            scope = parsed;
        }
        else if (request.Scope.Length > 0)
        {
            throw RpcErrors.InvalidField("scope", "PERIMETRE_INATTENDU", "Seule une clé de rôle analyste a un périmètre.");
        }

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

        var ct = context.CancellationToken;
        var (info, key) = await keys.CreateAsync(role, posts, scope, expires, request.Name.Length > 0 ? request.Name : null, caller.KeyId, ct);
        await audit.RecordAsync(caller, AuditActions.KeyCreated, info.Id, posts.Count == 1 ? posts[0] : null, Describe(info), ct);
        return new Api.CreateKeyResponse { Info = ToProto(info), Key = key };
    }

    public override async Task<Api.ListKeysResponse> ListKeys(Api.ListKeysRequest request, ServerCallContext context)
    {
        var list = await keys.ListAsync(request.IncludeInactive, context.CancellationToken);
        return new Api.ListKeysResponse { Keys = { list.Select(ToProto) } };
    }

    public override async Task<Api.ApiKeyInfo> RevokeKey(Api.RevokeKeyRequest request, ServerCallContext context)
    {
        var key = await keys.RevokeAsync(request.Id, context.CancellationToken)
            ?? throw RpcErrors.NotFound($"La clé « {request.Id} » n'existe pas.");
        await audit.RecordAsync(context.Caller(), AuditActions.KeyRevoked, key.Id, null, Describe(key), context.CancellationToken);
        return ToProto(key);
    }

    public override async Task<Api.ListAuditResponse> ListAudit(Api.ListAuditRequest request, ServerCallContext context)
    {
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
        var (entries, truncated) = await audit.ListAsync(filter, context.CancellationToken);
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

    public override async Task<Api.Post> AddPost(Api.AddPostRequest request, ServerCallContext context)
    {
        var post = request.Post ?? throw RpcErrors.InvalidField("post", "POSTE_ABSENT", "Le poste est obligatoire.");
        if (post.ActiveTo.Length > 0)
        {
            throw RpcErrors.InvalidField("post.active_to", "DATE_INATTENDUE", "Un nouveau poste est ouvert : fermez-le ensuite avec DeactivatePost.");
        }

        var added = await registry.AddAsync(
            new NewPost(
                post.Id.Trim(),
                post.Name,
                post.DepartmentCode.Trim(),
                post.Zone switch { Api.Zone.Police => CoreRegistry.Zone.Police, Api.Zone.Gendarmerie => CoreRegistry.Zone.Gendarmerie, _ => CoreRegistry.Zone.Mixte },
                post.Fte == 0 ? 1.0 : post.Fte,
                post.Frequency switch
                {
                    Api.ReportingFrequency.Month => CoreRegistry.ReportingFrequency.Month,
                    Api.ReportingFrequency.Quarter => CoreRegistry.ReportingFrequency.Quarter,
                    Api.ReportingFrequency.Year => CoreRegistry.ReportingFrequency.Year,
                    _ => null,
                },
                post.ActiveFrom),
            context.Caller(),
            context.CancellationToken);
        return ProtoMapping.ToProto(added);
    }

    public override async Task<Api.Post> DeactivatePost(Api.DeactivatePostRequest request, ServerCallContext context) =>
        ProtoMapping.ToProto(await registry.DeactivateAsync(request.Id, request.ActiveTo, Reason(request.Reason), context.Caller(), context.CancellationToken));

    public override async Task<Api.Post> MovePost(Api.MovePostRequest request, ServerCallContext context) =>
        ProtoMapping.ToProto(await registry.MoveAsync(request.Id, request.DepartmentCode, request.From, Reason(request.Reason), context.Caller(), context.CancellationToken));

    public override Task<Api.CampaignStatus> CloseCampaign(Api.CampaignRequest request, ServerCallContext context) =>
        campaigns.ChangeAsync(new CampaignChange(request.Period, request.DepartmentCode, request.PostId, request.Reason), close: true, context.Caller(), context.CancellationToken);

    public override Task<Api.CampaignStatus> ReopenCampaign(Api.CampaignRequest request, ServerCallContext context) =>
        campaigns.ChangeAsync(new CampaignChange(request.Period, request.DepartmentCode, request.PostId, request.Reason), close: false, context.Caller(), context.CancellationToken);

    public override Task<Api.CampaignStatus> GetCampaign(Api.GetCampaignRequest request, ServerCallContext context) =>
        campaigns.StatusAsync(AggregateQueries.ParseAnyPeriod(request.Period, "period"), context.CancellationToken);

    public override async Task BackupDatabase(Api.BackupDatabaseRequest request, IServerStreamWriter<Api.BackupChunk> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        if (backups.Unsupported is { } reason)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, reason));
        }

        var backup = await backups.CreateAsync(target: null, ct);
        try
        {
            await audit.RecordAsync(context.Caller(), AuditActions.Backup, Path.GetFileName(backup.Path), null, $"{backup.Manifest.SizeBytes} octets, sha256 {backup.Manifest.Sha256}", ct);
            await responseStream.WriteAsync(new Api.BackupChunk { ManifestJson = backup.Manifest.ToJson() }, ct);
            await using var file = new FileStream(backup.Path, FileMode.Open, FileAccess.Read, FileShare.Read, BackupChunkBytes, useAsync: true);
            var buffer = new byte[BackupChunkBytes];
            int read;
            while ((read = await file.ReadAsync(buffer, ct)) > 0)
            {
                await responseStream.WriteAsync(new Api.BackupChunk { Data = Google.Protobuf.ByteString.CopyFrom(buffer, 0, read) }, ct);
            }
        }
        finally
        {
            BackupMaker.TryDelete(backup.Path);
        }
    }

    internal static string Reason(string reason) =>
        reason.Length <= 500 ? reason.Trim() : throw RpcErrors.InvalidField("reason", "MOTIF_TROP_LONG", "Le motif compte au plus 500 caractères.");

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
