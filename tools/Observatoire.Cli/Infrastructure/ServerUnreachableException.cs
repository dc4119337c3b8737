using Grpc.Core;

namespace Observatoire.Cli.Infrastructure;

/// <summary>The server stayed UNAVAILABLE after every retry.</summary>
public sealed class ServerUnreachableException(RpcException inner)
    : Exception($"Serveur injoignable : {inner.Status.Detail}", inner)
{
    /// <summary>The last gRPC failure.</summary>
    public RpcException Rpc { get; } = inner;
}
