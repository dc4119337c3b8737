using Grpc.Core;
using Observatoire.Server.Security;

namespace Observatoire.Server.Grpc;

/// <summary>
/// A streamed answer the client must keep reading: a write that waits longer than
/// <see cref="SecurityOptions.StalledReaderSeconds"/> for the client to make room (HTTP/2 flow control) drops the call,
/// so that an unread document or unread answers are not held in memory for as long as a client keeps its connection.
/// </summary>
internal sealed partial class PacedResponse<T>(IServerStreamWriter<T> inner, ServerCallContext context, TimeSpan stall, ILogger logger) : IServerStreamWriter<T>
{
    public WriteOptions? WriteOptions
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    public Task WriteAsync(T message) => WriteAsync(message, context.CancellationToken);

    public async Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        if (stall <= TimeSpan.Zero)
        {
            await inner.WriteAsync(message, cancellationToken);
            return;
        }

        // The write is given the call's own token only: a token of ours that fires while gRPC holds it would make gRPC
        // cancel the call from a timer, possibly after the call has ended (a crash of the process). The wait for it is
        // bounded instead; a write held by flow control ends when the stream is torn down.
        var write = inner.WriteAsync(message, cancellationToken);
        try
        {
            await write.WaitAsync(stall, cancellationToken);
        }
        catch (TimeoutException)
        {
            _ = write.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw Dropped();
        }
    }

    private RpcException Dropped()
    {
        PacedResponseLog.Stalled(logger, context.Method, (int)stall.TotalSeconds);

        // The stream is reset: what was waiting for the reader is let go with the call.
        context.GetHttpContext().Abort();
        return new RpcException(new Status(StatusCode.Cancelled, $"Réponse non lue depuis {(int)stall.TotalSeconds} s : appel abandonné par le serveur."));
    }
}

/// <summary>Makes paced writers from the configured stall.</summary>
internal sealed class ResponsePacing(Microsoft.Extensions.Options.IOptions<SecurityOptions> options, ILogger<ResponsePacing> logger)
{
    public IServerStreamWriter<T> Of<T>(IServerStreamWriter<T> writer, ServerCallContext context) =>
        new PacedResponse<T>(writer, context, TimeSpan.FromSeconds(Math.Max(0, options.Value.StalledReaderSeconds)), logger);
}

internal static partial class PacedResponseLog
{
    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "{Method}: the client read nothing for {Seconds} s; the call is dropped")]
    public static partial void Stalled(ILogger logger, string method, int seconds);
}
