using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Observatoire.Server.Versioning;
using Api = Observatoire.Protos.V1;

namespace Observatoire.Server.Grpc;

/// <summary>Which server this is: its version and the oldest client it serves. No key needed.</summary>
[AllowAnonymous]
internal sealed class ServerInfoGrpcService(ServerVersion version) : Api.ServerInfoService.ServerInfoServiceBase
{
    public override Task<Api.ServerInfo> GetServerInfo(Api.GetServerInfoRequest request, ServerCallContext context) =>
        Task.FromResult(new Api.ServerInfo { Version = version.Current, MinimumClientVersion = version.MinimumClient });
}
