using Grpc.Core;

namespace Observatoire.Server.Security;

/// <summary>
/// The key of a call that stays open (a stream of grids), checked again as the call goes on: a key revoked or expired
/// after the call began stops it at its next message, within <see cref="Interval"/>, instead of writing on under a
/// key the administration has withdrawn. The check is the one every call begins with (<see cref="ApiKeyStore.CheckAsync"/>),
/// made at most once an interval so that a stream of thousands of grids costs a few checks.
/// </summary>
internal sealed class OpenCallKey(ApiKeyStore keys, TimeProvider clock, string? presented)
{
    /// <summary>How long a check holds for a stream.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private DateTimeOffset _checkedAt = clock.GetUtcNow();

    /// <summary>The key the call presented (null: none, a signed-in page, nothing to check again).</summary>
    public static OpenCallKey Of(ServerCallContext context, ApiKeyStore keys, TimeProvider clock) =>
        new(keys, clock, ApiKeyAuthenticationHandler.PresentedKey(context.GetHttpContext().Request));

    /// <summary>UNAUTHENTICATED, saying why, when the key no longer holds; null while it does.</summary>
    public async Task<RpcException?> RefusalAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (presented is null || now - _checkedAt < Interval)
        {
            return null;
        }

        var check = await keys.CheckAsync(presented, ct);
        if (check.Key is null)
        {
            return new RpcException(new Status(StatusCode.Unauthenticated, check.Failure!));
        }

        _checkedAt = now;
        return null;
    }
}
