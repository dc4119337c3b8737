using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Grpc;
using Observatoire.Server.Infrastructure;

namespace Observatoire.Server.Web;

/// <summary>
/// The pages and downloads learn the grids that other instances stored before they are rendered, as the API's calls
/// do (<see cref="StorageGuardInterceptor"/>): behind a load balancer, a page shows the grid that another instance
/// acknowledged a moment before. Only pages and downloads behind a sign-in read figures; static files and the
/// sign-in page do not wait for the database, and gRPC (native or transcoded) catches up in its interceptor.
/// </summary>
internal sealed class PageFreshness(RequestDelegate next, GridFeedFollower feed, StorageHealth storage)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (feed.Enabled && ReadsFigures(context.GetEndpoint()))
        {
            try
            {
                await feed.CatchUpAsync(context.RequestAborted);
            }
            catch (Exception e) when (StorageGuardInterceptor.IsStorageFailure(e))
            {
                storage.ReportFailure(e);
                await UnavailableAsync(context, StorageGuardInterceptor.UnavailableMessage);
                return;
            }
            catch (UnknownGridVersionException e)
            {
                await UnavailableAsync(context, e.Message);
                return;
            }
        }

        await next(context);
    }

    private static async Task UnavailableAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message, context.RequestAborted);
    }

    private static bool ReadsFigures(Endpoint? endpoint) =>
        endpoint is not null
        && endpoint.Metadata.GetMetadata<GrpcMethodMetadata>() is null
        && endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null
        && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null;
}
