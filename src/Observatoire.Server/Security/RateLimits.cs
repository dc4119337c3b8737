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
        var signInWindow = TimeSpan.FromMinutes(1);
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            context.Features.Get<CallerScope>() is { } caller && options.RateLimitPermits > 0
                ? RateLimitPartition.GetFixedWindowLimiter(caller.KeyId, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.RateLimitPermits,
                    Window = window,
                    QueueLimit = 0,
                })
                : IsSignIn(context.Request) && options.SignInsPerMinute > 0

                    // Passwords tried from one address, whichever accounts they are tried on (password spraying), each
                    // costing a password hash: counted per address, before the sign-in page runs.
                    ? RateLimitPartition.GetFixedWindowLimiter("connexion\n" + context.Connection.RemoteIpAddress, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.SignInsPerMinute,
                        Window = signInWindow,
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
        limiter.OnRejected = (context, _) =>
        {
            if (IsSignIn(context.HttpContext.Request))
            {
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var signInRetry) ? Math.Max(1, (int)Math.Ceiling(signInRetry.TotalSeconds)) : 60;
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.ContentType = "text/plain; charset=utf-8";
                response.Headers["retry-after"] = wait.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(response.WriteAsync(
                    $"Trop de tentatives de connexion depuis cette adresse ({options.SignInsPerMinute} par minute) : réessayez dans {wait} s.",
                    context.HttpContext.RequestAborted));
            }

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

    /// <summary>A password sent to the sign-in page.</summary>
    private static bool IsSignIn(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Equals("/connexion", StringComparison.OrdinalIgnoreCase);
}
