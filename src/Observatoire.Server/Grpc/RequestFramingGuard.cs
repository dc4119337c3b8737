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
internal sealed partial class RequestFramingGuard(RequestDelegate next, IOptions<ObservatoireOptions> options, ILogger<RequestFramingGuard> logger)
{
    private const int PrefixLength = 5;

    public async Task InvokeAsync(HttpContext context)
    {
        var method = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method;
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
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            body.Write(buffer, 0, read);
            if (body.Length > limit)
            {
                await RefuseAsync(context, method.FullName, StatusCode.ResourceExhausted, "Message trop volumineux.");
                return;
            }
        }

        var bytes = body.GetBuffer().AsSpan(0, (int)body.Length);
        if (Problem(bytes, context.Request.Headers["grpc-encoding"].ToString()) is { } problem)
        {
            await RefuseAsync(context, method.FullName, StatusCode.InvalidArgument, problem);
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
