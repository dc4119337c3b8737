using Grpc.Core;
using Grpc.Core.Interceptors;
using Observatoire.Server.Security;

namespace Observatoire.Server.Grpc;

/// <summary>
/// Bounds the streams open at once on the services that need no key: health's <c>Watch</c> and reflection. Without a
/// key the rate limit does not apply, so a client could hold thousands, each with its memory (9,800 held took 320 MB).
/// They are counted per key when one is given, else per client address (<see cref="SecurityOptions.TrustedProxies"/>
/// tells it behind a load balancer), at most <see cref="SecurityOptions.MaxOpenStreamsPerKey"/>; one more is refused
/// RESOURCE_EXHAUSTED. The product's own streams are bounded per key by their methods (<see cref="StreamedAnswers"/>).
/// </summary>
internal sealed class OpenServiceStreamBound(OpenStreams openStreams) : Interceptor
{
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var place = Enter(context);
        await continuation(request, responseStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var place = Enter(context);
        await continuation(requestStream, responseStream, context);
    }

    private IDisposable? Enter(ServerCallContext context)
    {
        if (!context.Method.StartsWith("/grpc.", StringComparison.Ordinal))
        {
            return null;
        }

        var http = context.GetHttpContext();
        var holder = http.Features.Get<Core.Access.CallerScope>() is { } caller
            ? caller.KeyId
            : $"adresse {http.Connection.RemoteIpAddress?.ToString() ?? "inconnue"}";
        return openStreams.Enter(holder, OpenStreamKind.ServiceStreams);
    }
}
