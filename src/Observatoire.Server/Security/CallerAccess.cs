using Grpc.Core;
using Observatoire.Core.Access;

namespace Observatoire.Server.Security;

/// <summary>Reads the caller resolved by authentication, and turns access refusals into PERMISSION_DENIED.</summary>
public static class CallerAccess
{
    /// <summary>The caller of this call (authentication resolved it; every service but health and reflection requires it).</summary>
    public static CallerScope Caller(this ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetHttpContext().Features.Get<CallerScope>()
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "Authentification requise."));
    }

    /// <summary>The decision when allowed; PERMISSION_DENIED with the missing right otherwise.</summary>
    public static AccessDecision OrDeny(this AccessDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return decision.Allowed ? decision : throw new RpcException(new Status(StatusCode.PermissionDenied, decision.MissingRight ?? "Accès refusé."));
    }
}
