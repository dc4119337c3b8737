using Grpc.Core;

namespace Observatoire.Cli.Infrastructure;

/// <summary>Retries a gRPC call that fails with UNAVAILABLE, then reports the server as unreachable.</summary>
public static class GrpcRetry
{
    /// <summary>
    /// Runs <paramref name="call"/>; on UNAVAILABLE waits the next delay and runs it again (the call must be safe to
    /// repeat: submissions reuse their submission id). Throws <see cref="ServerUnreachableException"/> when the delays are spent.
    /// </summary>
    public static async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, IReadOnlyList<TimeSpan> delays, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
            {
                if (attempt >= delays.Count)
                {
                    throw new ServerUnreachableException(ex);
                }

                await Task.Delay(delays[attempt], cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
