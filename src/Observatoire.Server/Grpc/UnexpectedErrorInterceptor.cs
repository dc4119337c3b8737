using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Observatoire.Server.Grpc;

/// <summary>
/// Logs unexpected failures and answers INTERNAL without leaking details, for every kind of call;
/// RpcExceptions pass through, and so does the cancellation of a call the client gave up.
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
        catch (Exception e) when (IsUnexpected(e, context))
        {
            throw Internal(logger, e, context.Method);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(new GuardedReader<TRequest>(requestStream, logger, context.Method), context);
        }
        catch (Exception e) when (IsUnexpected(e, context))
        {
            throw Internal(logger, e, context.Method);
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
        catch (Exception e) when (IsUnexpected(e, context))
        {
            throw Internal(logger, e, context.Method);
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
        catch (Exception e) when (IsUnexpected(e, context))
        {
            throw Internal(logger, e, context.Method);
        }
    }

    /// <summary>Logs the failure once, with its stack, and gives the status the client sees.</summary>
    public static RpcException Internal(ILogger logger, Exception e, string method)
    {
        LogUnexpected(logger, e, method);
        return new RpcException(new Status(StatusCode.Internal, InternalMessage));
    }

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

    private static bool IsUnexpected(Exception e, ServerCallContext context) =>
        e is not RpcException && !context.CancellationToken.IsCancellationRequested;

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Unreadable message in the request stream of {Method}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string method, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "Unexpected failure in {Method}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method);
}
