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

namespace Observatoire.Server.Grpc;

/// <summary>The administrator's service: keys and audit log (<see cref="KeyDesk"/>), registry changes, campaigns, backups. Every method needs an admin key.</summary>
[Authorize(Policy = Rights.Administer)]
internal sealed class AdminGrpcService(
    KeyDesk keyDesk,
    AuditLog audit,
    RegistryEditor registry,
    CampaignDesk campaigns,
    BackupMaker backups,
    StreamedAnswers answers) : Api.AdminService.AdminServiceBase
{
    private const int BackupChunkBytes = 256 * 1024;

    public override Task<Api.CreateKeyResponse> CreateKey(Api.CreateKeyRequest request, ServerCallContext context) =>
        keyDesk.CreateAsync(request, context.Caller(), context.CancellationToken);

    public override Task<Api.ListKeysResponse> ListKeys(Api.ListKeysRequest request, ServerCallContext context) =>
        keyDesk.ListAsync(request, context.CancellationToken);

    public override Task<Api.ApiKeyInfo> RevokeKey(Api.RevokeKeyRequest request, ServerCallContext context) =>
        keyDesk.RevokeAsync(request, context.Caller(), context.CancellationToken);

    public override Task<Api.ListAuditResponse> ListAudit(Api.ListAuditRequest request, ServerCallContext context) =>
        keyDesk.ListAuditAsync(request, context.CancellationToken);

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

    public override async Task<Api.Post> UpdatePost(Api.UpdatePostRequest request, ServerCallContext context) =>
        ProtoMapping.ToProto(await registry.UpdateAsync(
            request.Id,
            request.Name.Length > 0 ? request.Name : null,
            request.Zone switch
            {
                Api.Zone.Police => CoreRegistry.Zone.Police,
                Api.Zone.Gendarmerie => CoreRegistry.Zone.Gendarmerie,
                Api.Zone.Mixte => CoreRegistry.Zone.Mixte,
                _ => null,
            },
            request.Fte == 0 ? null : request.Fte,
            Reason(request.Reason),
            context.Caller(),
            context.CancellationToken));

    public override async Task<Api.Post> MovePost(Api.MovePostRequest request, ServerCallContext context) =>
        ProtoMapping.ToProto(await registry.MoveAsync(request.Id, request.DepartmentCode, request.From, Reason(request.Reason), context.Caller(), context.CancellationToken));

    public override Task<Api.CampaignStatus> CloseCampaign(Api.CampaignRequest request, ServerCallContext context) =>
        campaigns.ChangeAsync(new CampaignChange(request.Period, request.DepartmentCode, request.PostId, request.Reason), close: true, context.Caller(), context.CancellationToken);

    public override Task<Api.CampaignStatus> ReopenCampaign(Api.CampaignRequest request, ServerCallContext context) =>
        campaigns.ChangeAsync(new CampaignChange(request.Period, request.DepartmentCode, request.PostId, request.Reason), close: false, context.Caller(), context.CancellationToken);

    public override Task<Api.CampaignStatus> GetCampaign(Api.GetCampaignRequest request, ServerCallContext context) =>
        campaigns.StatusAsync(campaigns.ParsePeriod(request.Period), context.CancellationToken);

    public override async Task BackupDatabase(Api.BackupDatabaseRequest request, IServerStreamWriter<Api.BackupChunk> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        if (backups.Unsupported is { } reason)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, reason));
        }

        using var answer = answers.Begin(responseStream, context, Security.OpenStreamKind.Documents);
        responseStream = answer.Writer;

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
}
