using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Observatoire.Server.Grpc;

/// <summary>
/// Logs unexpected failures and answers INTERNAL without leaking details, for every kind of call; RpcExceptions pass
/// through. A call the client gave up (its deadline passed, or it cancelled) ends as DEADLINE_EXCEEDED or CANCELLED,
/// whatever the handler was doing when it stopped: Grpc.AspNetCore would otherwise answer UNKNOWN when the handler's
/// exception comes before its own deadline status.
/// </summary>
internal sealed partial class UnexpectedErrorInterceptor(ILogger<UnexpectedErrorInterceptor> logger) : Interceptor
{
    public const string InternalMessage = "Erreur interne du serveur : l'opération n'a pas été enregistrée.";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Failure(logger, e, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(new GuardedReader<TRequest>(requestStream, logger, context.Method), context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Failure(logger, e, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(new GuardedReader<TRequest>(requestStream, logger, context.Method), responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Failure(logger, e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Failure(logger, e, context);
        }
    }

    /// <summary>Logs the failure once, with its stack, and gives the status the client sees.</summary>
    public static RpcException Internal(ILogger logger, Exception e, string method)
    {
        LogUnexpected(logger, e, method);
        return new RpcException(new Status(StatusCode.Internal, InternalMessage));
    }

    /// <summary>
    /// The status of a call whose client gave up (the handler stopped because the call's token was cancelled). A client
    /// whose own deadline passes resets the call a little before the server's copy of the deadline (received as a
    /// timeout, it starts later), so a cancellation within a second of the deadline is the deadline.
    /// </summary>
    public static RpcException GaveUp(ServerCallContext context) =>
        context.Status.StatusCode == StatusCode.DeadlineExceeded
        || (context.Deadline != DateTime.MaxValue && context.Deadline <= DateTime.UtcNow.Add(DeadlineTolerance))
            ? new RpcException(new Status(StatusCode.DeadlineExceeded, DeadlineMessage))
            : new RpcException(new Status(StatusCode.Cancelled, "Appel annulé par le client avant la réponse."));

    private static readonly TimeSpan DeadlineTolerance = TimeSpan.FromSeconds(1);

    /// <summary>A write already queued goes ahead: the client may send it again with the same submission id.</summary>
    public const string DeadlineMessage =
        "Délai de l'appel dépassé avant la réponse : une grille déjà en cours d'enregistrement peut avoir été enregistrée ; renvoyez-la avec le même identifiant de soumission.";

    /// <summary>
    /// A request stream whose unreadable messages (bad frame, bad protobuf) are INVALID_ARGUMENT, logged once:
    /// Grpc.AspNetCore reports them as INTERNAL, or throws an exception that would end as UNKNOWN.
    /// </summary>
    private sealed class GuardedReader<T>(IAsyncStreamReader<T> inner, ILogger logger, string method) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            try
            {
                return await inner.MoveNext(cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested
                && e is not OperationCanceledException
                && (e is not RpcException rpc || rpc.StatusCode is StatusCode.Internal or StatusCode.Unknown))
            {
                LogUnreadable(logger, method, e.Message);
                throw new RpcException(new Status(StatusCode.InvalidArgument, "Message illisible : le flux de requêtes contient une trame ou un message protobuf invalide."));
            }
        }
    }

    /// <summary>The status of a handler's failure: the client's deadline or cancellation when it gave up, else INTERNAL, logged.</summary>
    private static RpcException Failure(ILogger logger, Exception e, ServerCallContext context) =>
        context.CancellationToken.IsCancellationRequested ? GaveUp(context) : Internal(logger, e, context.Method);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Unreadable message in the request stream of {Method}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string method, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "Unexpected failure in {Method}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method);
}
