using System.Globalization;
using System.Threading.RateLimiting;
using Grpc.Core;
using Microsoft.AspNetCore.RateLimiting;
using Observatoire.Core.Access;

namespace Observatoire.Server.Security;

/// <summary>
/// Per-key rate limiting with ASP.NET Core's rate limiter: a fixed window of calls per key; beyond it the call is
/// answered RESOURCE_EXHAUSTED with when to retry (in the message and a "retry-after" header, in seconds).
/// Calls without a key (health, reflection) are not limited.
/// </summary>
public static class RateLimits
{
    public static void Configure(RateLimiterOptions limiter, SecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        ArgumentNullException.ThrowIfNull(options);
        var window = TimeSpan.FromSeconds(Math.Max(1, options.RateLimitWindowSeconds));
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            context.Features.Get<CallerScope>() is { } caller && options.RateLimitPermits > 0
                ? RateLimitPartition.GetFixedWindowLimiter(caller.KeyId, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.RateLimitPermits,
                    Window = window,
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter(""));
        limiter.OnRejected = (context, _) =>
        {
            var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                : (int)window.TotalSeconds;
            var text = seconds.ToString(CultureInfo.InvariantCulture);
            return new ValueTask(GrpcResponses.WriteStatusAsync(
                context.HttpContext,
                StatusCode.ResourceExhausted,
                $"Trop d'appels pour cette clé ({options.RateLimitPermits} par {(int)window.TotalSeconds} s) : réessayez dans {text} s.",
                [new("retry-after", text)]));
        };
    }
}
