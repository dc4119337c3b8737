using Observatoire.Core.Access;
using Observatoire.Core.Consolidation;

namespace Observatoire.Server.Security;

/// <summary>
/// Once the caller is known, the request's waits for suppression plans (<see cref="ReaderWait"/>) are bounded per key or
/// web account and end with the request. A request waiting for a plan blocks a thread until the plan is made: a national
/// year's largest indicator takes a minute of CPU, and exports, charts and reports wait for it in full. Without this, one
/// key asking a few hundred charts at once (within its rate limit) held as many threads for that minute, and kept them
/// after it had hung up. A request beyond <see cref="SecurityOptions.MaxOpenStreamsPerKey"/> waiting at once is refused
/// RESOURCE_EXHAUSTED (HTTP 429 on REST and the pages) when it would block; one whose figures are ready never waits.
/// </summary>
internal static class PlanWaitGuard
{
    public static void Use(WebApplication app)
    {
        var streams = app.Services.GetRequiredService<OpenStreams>();
        app.Use(async (context, next) =>
        {
            if (context.Features.Get<CallerScope>() is { } caller)
            {
                ReaderWait.Guard(() => streams.Enter(caller.KeyId, OpenStreamKind.PlanWaits), context.RequestAborted);
            }

            await next(context);
        });
    }
}
