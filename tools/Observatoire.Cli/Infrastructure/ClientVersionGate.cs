using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Observatoire.Cli.Infrastructure;

/// <summary>Thrown by the first call to a server whose minimum client version is newer than this client.</summary>
public sealed class ClientTooOldException(string message) : Exception(message);

/// <summary>
/// Asks a server once, just before the first call a verb makes to it, whether it still serves this client's version
/// (a verb that stops on a usage error never reaches the server); every call then throws
/// <see cref="ClientTooOldException"/> when it does not.
/// </summary>
public sealed class ClientVersionGate(CallInvoker server, string address, string version) : Interceptor
{
    private readonly Lazy<string?> _tooOld = new(
        // The check runs on the thread pool so that waiting for it never deadlocks on a caller's synchronization context.
        () => Task.Run(() => ClientVersion.TooOldMessageAsync(server, address, version, CancellationToken.None)).GetAwaiter().GetResult(),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private void Ensure()
    {
        if (_tooOld.Value is { } message)
        {
            throw new ClientTooOldException(message);
        }
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        Ensure();
        return continuation(request, context);
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        Ensure();
        return continuation(request, context);
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        Ensure();
        return continuation(request, context);
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        Ensure();
        return continuation(context);
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        Ensure();
        return continuation(context);
    }
}
