using Grpc.Core;
using Microsoft.AspNetCore.TestHost;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>
/// The status a client over HTTP/2 would hear, for a call made through the in-process test host.
/// </summary>
/// <remarks>
/// When a call's deadline passes on the server first, Grpc.AspNetCore answers DEADLINE_EXCEEDED and resets the stream
/// with CANCEL (HTTP/2 error code 8). Over a network Grpc.Net.Client reads that reset as CANCELLED (or has already heard
/// its own timer's DEADLINE_EXCEEDED). The test host instead throws <see cref="HttpResetTestException"/>, which the
/// client reports as INTERNAL "Error starting gRPC call": an artefact of the host, not an answer of the server.
/// </remarks>
internal static class InProcessStatus
{
    private const int Cancel = 8;

    public static StatusCode Of(RpcException e) =>
        e.StatusCode == StatusCode.Internal && e.Status.DebugException is HttpResetTestException { ErrorCode: Cancel }
            ? StatusCode.Cancelled
            : e.StatusCode;
}
