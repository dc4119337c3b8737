using System.Buffers.Binary;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Observatoire.Server.Grpc;

/// <summary>
/// Checks the framing of a single-message request (unary and server-streaming calls) before gRPC reads
/// it: one length-prefixed message, a known flag, a length that matches the bytes sent. A truncated,
/// padded or mislabelled body gets INVALID_ARGUMENT and one log line; Grpc.AspNetCore would answer
/// INTERNAL or UNKNOWN, as if the server were at fault. Streaming requests are checked message by message
/// by <see cref="UnexpectedErrorInterceptor"/>.
/// </summary>
internal sealed partial class RequestFramingGuard(
    RequestDelegate next,
    IOptions<ObservatoireOptions> options,
    IOptions<GrpcServiceOptions> grpc,
    ILogger<RequestFramingGuard> logger)
{
    private const int PrefixLength = 5;

    /// <summary>Bytes of request bodies being received by this guard now, all requests together.</summary>
    private static long _buffered;

    private static TimeSpan Remaining(TimeSpan deadline, System.Diagnostics.Stopwatch started) =>
        deadline - started.Elapsed is { Ticks: > 0 } left ? left : TimeSpan.FromTicks(1);

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var method = endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method;
        if (method is not null && !IsGrpc(context.Request)
            && endpoint!.Metadata.GetMetadata<Microsoft.AspNetCore.Grpc.JsonTranscoding.GrpcJsonTranscodingMetadata>() is null)
        {
            // A gRPC method's address asked as anything else (a form, JSON, no content type): gRPC would answer
            // INTERNAL. It is the request that is wrong.
            LogRefused(logger, method.FullName, "content type " + (context.Request.ContentType ?? "(none)"));
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            context.Response.Headers["grpc-status"] = ((int)StatusCode.InvalidArgument).ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Headers["grpc-message"] = Uri.EscapeDataString(NotGrpc);
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(NotGrpc, context.RequestAborted);
            return;
        }

        if (method is null || method.Type is MethodType.ClientStreaming or MethodType.DuplexStreaming || !IsGrpc(context.Request))
        {
            await next(context);
            return;
        }

        // A body over the size limit is left to gRPC, which answers RESOURCE_EXHAUSTED without reading it all.
        var limit = options.Value.MaxReceiveMessageSize + PrefixLength;
        if (context.Request.ContentLength > limit)
        {
            await next(context);
            return;
        }

        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        var counted = 0L;
        var deadline = TimeSpan.FromSeconds(Math.Max(1, options.Value.RequestBodySeconds));
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            while (true)
            {
                // Bounded in time without a token of ours in the server's reader (a timer's token could fire once the
                // request is over).
                var reading = context.Request.Body.ReadAsync(buffer, context.RequestAborted).AsTask();
                int read;
                try
                {
                    read = await reading.WaitAsync(Remaining(deadline, started), context.RequestAborted);
                }
                catch (TimeoutException)
                {
                    // The pending read is ended the pipe's own way, then refused.
                    context.Request.BodyReader.CancelPendingRead();
                    try
                    {
                        await reading;
                    }
                    catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
                    {
                    }

                    await RefuseAsync(context, method.FullName, StatusCode.DeadlineExceeded, $"Message incomplet après {(int)deadline.TotalSeconds} s : la requête doit arriver entière dans ce délai.");
                    return;
                }

                if (read == 0)
                {
                    break;
                }

                counted += read;
                if (Interlocked.Add(ref _buffered, read) > options.Value.MaxBufferedRequestBytes)
                {
                    await RefuseAsync(context, method.FullName, StatusCode.ResourceExhausted, "Serveur occupé : trop de requêtes en cours de réception. Réessayez dans quelques instants.");
                    return;
                }

                body.Write(buffer, 0, read);
                if (body.Length > limit)
                {
                    await RefuseAsync(context, method.FullName, StatusCode.ResourceExhausted, "Message trop volumineux.");
                    return;
                }
            }
        }
        finally
        {
            Interlocked.Add(ref _buffered, -counted);
        }

        var encoding = context.Request.Headers["grpc-encoding"].ToString();
        var bytes = body.GetBuffer().AsMemory(0, (int)body.Length);
        if ((Problem(bytes.Span, encoding) ?? (bytes.Span[0] == 1 ? Decompression(bytes[PrefixLength..], encoding) : null)) is { } problem)
        {
            await RefuseAsync(context, method.FullName, problem.StartsWith(TooLarge, StringComparison.Ordinal) ? StatusCode.ResourceExhausted : StatusCode.InvalidArgument, problem);
            return;
        }

        body.Position = 0;
        context.Request.Body = body;
        await next(context);
    }

    /// <summary>What is wrong with the body as one gRPC message, in French, or null when it is well framed.</summary>
    private static string? Problem(ReadOnlySpan<byte> body, string encoding)
    {
        if (body.Length < PrefixLength)
        {
            return "Message incomplet : l'en-tête de trame gRPC (5 octets) manque.";
        }

        var flag = body[0];
        if (flag > 1)
        {
            return "Trame gRPC invalide : indicateur de compression inconnu.";
        }

        if (flag == 1 && (encoding.Length == 0 || encoding == "identity"))
        {
            return "Trame gRPC invalide : message compressé sans en-tête grpc-encoding.";
        }

        var declared = BinaryPrimitives.ReadUInt32BigEndian(body[1..PrefixLength]);
        var actual = (uint)(body.Length - PrefixLength);
        return declared > actual ? "Message incomplet : la trame annonce plus d'octets qu'elle n'en contient."
            : declared < actual ? "Trame gRPC invalide : des données suivent le message."
            : null;
    }

    private const string NotGrpc = "Type de contenu non pris en charge : une méthode gRPC se demande en application/grpc (l'API JSON est sous /v1/).";

    private const string TooLarge = "Message trop volumineux";

    /// <summary>
    /// A compressed message, inflated as gRPC will (its own provider for the encoding, up to the size limit), so that
    /// a corrupt one is refused here: gRPC's own failure to inflate it is UNKNOWN. A gzip message cut before its
    /// trailer is refused by the provider itself (<see cref="StrictGzipCompressionProvider"/>).
    /// </summary>
    private string? Decompression(ReadOnlyMemory<byte> message, string encoding)
    {
        if (message.Length == 0 || encoding.Length == 0 || encoding == "identity"
            || grpc.Value.CompressionProviders?.FirstOrDefault(p => p.EncodingName == encoding) is not { } provider)
        {
            // Unknown encodings are gRPC's to answer (UNIMPLEMENTED); an uncompressed flag is checked by Problem.
            return null;
        }

        var limit = options.Value.MaxReceiveMessageSize;
        long inflated = 0;
        try
        {
            using var stream = provider.CreateDecompressionStream(new MemoryStream(message.ToArray(), writable: false));
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                inflated += read;
                if (inflated > limit)
                {
                    return $"{TooLarge} une fois décompressé (au plus {limit} octets).";
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // The strict gzip provider says in French what is missing; .NET's own readers say it in English.
            return e.Message.StartsWith("Message compressé", StringComparison.Ordinal)
                ? e.Message
                : $"Message compressé illisible ({encoding}) : {e.GetType().Name}.";
        }

        return null;
    }

    private async Task RefuseAsync(HttpContext context, string method, StatusCode code, string message)
    {
        LogRefused(logger, method, message);

        // A trailers-only answer: the gRPC status travels in the response headers.
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        await response.CompleteAsync();
    }

    private static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Malformed request frame for {Method}: {Problem}")]
    private static partial void LogRefused(ILogger logger, string method, string problem);
}
