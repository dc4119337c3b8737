using Grpc.Core;
using Grpc.Core.Interceptors;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Infrastructure;

namespace Observatoire.Server.Grpc;

/// <summary>
/// Refuses the API's calls with UNAVAILABLE while the database is gone, replaced or not writable (the
/// health service says NOT_SERVING meanwhile), and turns a storage failure inside a call into UNAVAILABLE
/// rather than INTERNAL: the client may retry, and nothing was acknowledged. Before a call is served, the
/// in-memory figures learn the grids that other instances stored (<see cref="GridFeedFollower"/>).
/// </summary>
internal sealed class StorageGuardInterceptor(StorageHealth storage, GridFeedFollower feed) : Interceptor
{
    public const string UnavailableMessage = "Stockage indisponible : le serveur ne répond pas tant que sa base de données n'est pas saine. Réessayez plus tard.";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await EnsureServingAsync(context);
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw Unavailable(e);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await EnsureServingAsync(context);
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw Unavailable(e);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await EnsureServingAsync(context);
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw Unavailable(e);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await EnsureServingAsync(context);
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw Unavailable(e);
        }
    }

    /// <summary>A failure of the database itself (SQLite or PostgreSQL, or EF Core wrapping it), as opposed to a bug.</summary>
    public static bool IsStorageFailure(Exception e) =>
        e is DbException || (e is DbUpdateException && e.InnerException is DbException);

    private RpcException Unavailable(Exception e)
    {
        storage.ReportFailure(e);
        return RpcErrors.Unavailable(UnavailableMessage);
    }

    private async Task EnsureServingAsync(ServerCallContext context)
    {
        // Health, reflection and ServerInfo always answer: the health service is how a faulted server says so, and a
        // client checks its version before anything else.
        if (!context.Method.StartsWith("/observatoire.", StringComparison.Ordinal)
            || context.Method.StartsWith("/observatoire.v1.ServerInfoService/", StringComparison.Ordinal))
        {
            return;
        }

        if (await storage.CheckAsync(fresh: false, context.CancellationToken) is not null)
        {
            throw RpcErrors.Unavailable(UnavailableMessage);
        }

        try
        {
            await feed.CatchUpAsync(context.CancellationToken);
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw Unavailable(e);
        }
    }
}
