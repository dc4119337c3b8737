using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Observatoire.Server.Grpc;

namespace Observatoire.Server.Tests;

public class UnexpectedErrorInterceptorTests
{
    private readonly UnexpectedErrorInterceptor _interceptor = new(NullLogger<UnexpectedErrorInterceptor>.Instance);

    [Fact]
    public async Task An_unexpected_failure_answers_internal_without_its_details()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _interceptor.UnaryServerHandler<string, string>(
            "requête",
            new FakeCallContext(),
            (_, _) => throw new InvalidOperationException("secret de la pile")));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.DoesNotContain("secret de la pile", error.Status.Detail);
        Assert.Contains("n'a pas été enregistrée", error.Status.Detail);
    }

    [Fact]
    public async Task A_deliberate_status_passes_through_a_streaming_call()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _interceptor.ServerStreamingServerHandler<string, string>(
            "requête",
            null!,
            new FakeCallContext(),
            (_, _, _) => throw new RpcException(new Status(StatusCode.NotFound, "introuvable"))));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task An_unexpected_failure_in_a_client_streaming_call_answers_internal_too()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _interceptor.ClientStreamingServerHandler<string, string>(
            new EmptyStream(),
            new FakeCallContext(),
            (_, _) => throw new InvalidOperationException("secret de la pile")));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.DoesNotContain("secret", error.Status.Detail);
    }

    [Fact]
    public async Task An_unreadable_message_in_a_request_stream_is_an_invalid_argument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _interceptor.DuplexStreamingServerHandler<string, string>(
            new BrokenStream(),
            null!,
            new FakeCallContext(),
            async (requests, _, _) => await requests.MoveNext(CancellationToken.None)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    private sealed class EmptyStream : IAsyncStreamReader<string>
    {
        public string Current => "";

        public Task<bool> MoveNext(CancellationToken cancellationToken) => Task.FromResult(false);
    }

    /// <summary>What Grpc.AspNetCore throws on a truncated frame.</summary>
    private sealed class BrokenStream : IAsyncStreamReader<string>
    {
        public string Current => "";

        public Task<bool> MoveNext(CancellationToken cancellationToken) =>
            throw new RpcException(new Status(StatusCode.Internal, "Incomplete message."));
    }

    [Theory]
    [InlineData(-5, StatusCode.DeadlineExceeded)] // the deadline has passed
    [InlineData(0.3, StatusCode.DeadlineExceeded)] // the client's deadline, a little before the server's copy of it
    [InlineData(60, StatusCode.Cancelled)] // the client cancelled, its deadline far
    public async Task A_call_the_client_gave_up_ends_with_its_deadline_or_cancellation_never_unknown(double deadlineInSeconds, StatusCode expected)
    {
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();
        var context = new FakeCallContext { DeadlineAt = DateTime.UtcNow.AddSeconds(deadlineInSeconds), Token = gone.Token };

        var unary = await Assert.ThrowsAsync<RpcException>(() => _interceptor.UnaryServerHandler<string, string>(
            "requête", context, (_, call) => Task.FromCanceled<string>(call.CancellationToken)));
        var duplex = await Assert.ThrowsAsync<RpcException>(() => _interceptor.DuplexStreamingServerHandler<string, string>(
            new EmptyStream(), null!, context, (_, _, _) => throw new ObjectDisposedException("flux")));

        Assert.Equal(expected, unary.StatusCode);
        Assert.Equal(expected, duplex.StatusCode);
    }

    [Fact]
    public async Task A_call_without_a_deadline_that_the_client_cancelled_is_cancelled()
    {
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => _interceptor.ServerStreamingServerHandler<string, string>(
            "requête", null!, new FakeCallContext { Token = gone.Token }, (_, _, call) => Task.FromCanceled(call.CancellationToken)));

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    private sealed class FakeCallContext : ServerCallContext
    {
        public DateTime DeadlineAt { get; init; } = DateTime.MaxValue;

        public CancellationToken Token { get; init; } = CancellationToken.None;

        protected override string MethodCore => "/observatoire.v1.Test/Call";

        protected override string HostCore => "localhost";

        protected override string PeerCore => "ipv4:127.0.0.1:1";

        protected override DateTime DeadlineCore => DeadlineAt;

        protected override Metadata RequestHeadersCore { get; } = [];

        protected override CancellationToken CancellationTokenCore => Token;

        protected override Metadata ResponseTrailersCore { get; } = [];

        protected override Status StatusCore { get; set; }

        protected override WriteOptions? WriteOptionsCore { get; set; }

        protected override AuthContext AuthContextCore => new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
