using Grpc.Core;
using Grpc.Core.Interceptors;
using Observatoire.Data;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Infrastructure;

namespace Observatoire.Server.Grpc;

/// <summary>
/// Refuses the API's calls with UNAVAILABLE while the database is gone, replaced or not writable (the
/// health service says NOT_SERVING meanwhile), and turns a database error inside a call into its status rather
/// than INTERNAL (<see cref="Translate"/>): UNAVAILABLE for a failure of the storage (the client may retry, nothing was
/// acknowledged), ABORTED for a race, INVALID_ARGUMENT for a value refused. Before a call is served, the
/// in-memory figures learn the grids that other instances stored (<see cref="GridFeedFollower"/>).
/// </summary>
internal sealed partial class StorageGuardInterceptor(StorageHealth storage, GridFeedFollower feed, ILogger<StorageGuardInterceptor> logger) : Interceptor
{
    public const string UnavailableMessage = "Stockage indisponible : le serveur ne répond pas tant que sa base de données n'est pas saine. Réessayez plus tard.";

    public const string ConflictMessage = "Conflit avec une écriture simultanée : l'opération n'a pas abouti. Réessayez.";

    public const string RefusedMessage = "La base de données refuse une valeur de la requête (caractère non admis ou valeur trop grande) : l'opération n'a pas abouti.";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await EnsureServingAsync(context);
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (StorageErrors.Classify(e) is not StorageErrorKind.None)
        {
            throw ToRpc(e);
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
        catch (Exception e) when (StorageErrors.Classify(e) is not StorageErrorKind.None)
        {
            throw ToRpc(e);
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
        catch (Exception e) when (StorageErrors.Classify(e) is not StorageErrorKind.None)
        {
            throw ToRpc(e);
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
        catch (Exception e) when (StorageErrors.Classify(e) is not StorageErrorKind.None)
        {
            throw ToRpc(e);
        }
    }

    /// <summary>
    /// A failure of the database itself (SQLite or PostgreSQL, or EF Core wrapping it), as opposed to a bug or to a
    /// value the database refuses (<see cref="StorageErrors"/>).
    /// </summary>
    public static bool IsStorageFailure(Exception e) => StorageErrors.Classify(e) == StorageErrorKind.Unavailable;

    /// <summary>
    /// The status of a database failure: UNAVAILABLE when the store failed (the store is then checked again before the
    /// server serves), ABORTED for a race with a concurrent write, INVALID_ARGUMENT for a value the database refuses.
    /// Only the store's own failures mark it as failed: no value a client sends can take the server out of service.
    /// </summary>
    public static RpcException Translate(Exception e, StorageHealth storage, ILogger logger)
    {
        switch (StorageErrors.Classify(e))
        {
            case StorageErrorKind.Conflict:
                LogRefused(logger, "conflict", e);
                return new RpcException(new global::Grpc.Core.Status(StatusCode.Aborted, ConflictMessage));
            case StorageErrorKind.Refused:
                LogRefused(logger, "refused value", e);
                return new RpcException(new global::Grpc.Core.Status(StatusCode.InvalidArgument, RefusedMessage));
            default:
                storage.ReportFailure(e);
                return RpcErrors.Unavailable(UnavailableMessage);
        }
    }

    private RpcException ToRpc(Exception e) => Translate(e, storage, logger);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "The database refused a call ({Kind}); the storage stays in service")]
    private static partial void LogRefused(ILogger logger, string kind, Exception error);

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
        catch (Exception e) when (StorageErrors.Classify(e) is not StorageErrorKind.None)
        {
            throw ToRpc(e);
        }
        catch (UnknownGridVersionException e)
        {
            throw RpcErrors.Unavailable(e.Message);
        }
    }
}
