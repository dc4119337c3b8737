using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Observatoire.Core.Validation;
using ValidateGridResponse = Observatoire.Protos.V1.ValidateGridResponse;

namespace Observatoire.Server.Grpc;

/// <summary>Builds the gRPC errors of the API, with the rich error model where a field is at fault.</summary>
internal static class RpcErrors
{
    /// <summary>
    /// Most bytes of the google.rpc.Status carried in the trailers. It travels base64-encoded (a third
    /// more) beside grpc-message (percent-encoded), and grpc-java and the C-core refuse trailers over
    /// 8 KiB: 4 KiB of details keep the whole well inside.
    /// </summary>
    public const int MaxDetailsBytes = 4 * 1024;

    /// <summary>Longest status message, in characters (French accents take 6 bytes once percent-encoded).</summary>
    public const int MaxMessageLength = 300;

    private const int MaxViolationText = 300;

    /// <summary>
    /// INVALID_ARGUMENT carrying a google.rpc.BadRequest and the violations themselves: the first ones that
    /// fit the trailer budget (at most <paramref name="maxReported"/>), the message giving the total count.
    /// </summary>
    public static RpcException Rejected(IReadOnlyList<Violation> violations, int maxReported, string subject = "Grille refusée")
    {
        var errors = violations.Where(v => v.IsError).ToList();
        var badRequest = new BadRequest();
        var detail = new ValidateGridResponse { Valid = false };
        var status = new Google.Rpc.Status { Code = (int)Code.InvalidArgument };

        // Errors first, then warnings, while the packed details stay within budget.
        var listed = 0;
        foreach (var violation in errors.Concat(violations.Where(v => !v.IsError)).Take(maxReported))
        {
            var proto = ProtoMapping.ToProto(Bounded(violation));
            var size = detail.CalculateSize() + badRequest.CalculateSize() + 2 * proto.CalculateSize() + 64;
            if (size > MaxDetailsBytes)
            {
                break;
            }

            detail.Violations.Add(proto);
            if (violation.IsError)
            {
                badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = proto.Path, Reason = proto.RuleCode, Description = proto.Message });
            }

            listed++;
        }

        var summary = errors.Count == 1
            ? $"{subject} : {errors[0].Message}"
            : $"{subject} : {errors.Count} erreurs ({string.Join(", ", errors.Select(e => e.RuleCode).Distinct().Take(8))}).";
        if (listed < violations.Count)
        {
            summary = $"{Clip(summary, MaxMessageLength - 60)} {listed} des {violations.Count} signalements sont détaillés.";
        }

        status.Message = Clip(summary, MaxMessageLength);
        status.Details.Add(Any.Pack(badRequest));
        status.Details.Add(Any.Pack(detail));
        return status.ToRpcException();
    }

    /// <summary>INVALID_ARGUMENT for one request field, with a google.rpc.BadRequest.</summary>
    public static RpcException InvalidField(string field, string reason, string message)
    {
        message = Clip(message, MaxMessageLength);
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = message,
            Details =
            {
                Any.Pack(new BadRequest
                {
                    FieldViolations = { new BadRequest.Types.FieldViolation { Field = Clip(field, 200), Reason = reason, Description = message } },
                }),
            },
        };
        return status.ToRpcException();
    }

    public static RpcException NotFound(string message) => new(new global::Grpc.Core.Status(StatusCode.NotFound, Clip(message, MaxMessageLength)));

    public static RpcException AlreadyExists(string message) => new(new global::Grpc.Core.Status(StatusCode.AlreadyExists, Clip(message, MaxMessageLength)));

    /// <summary>UNAVAILABLE: the server cannot do it now (storage), the client may retry later.</summary>
    public static RpcException Unavailable(string message) => new(new global::Grpc.Core.Status(StatusCode.Unavailable, Clip(message, MaxMessageLength)));

    private static Violation Bounded(Violation v) => v with
    {
        Path = Clip(v.Path, MaxViolationText),
        Message = Clip(v.Message, MaxViolationText),
        MatchedText = v.MatchedText is null ? null : Clip(v.MatchedText, MaxViolationText),
    };

    private static string Clip(string text, int max) => text.Length <= max ? text : ClientText.Quote(text, max);
}
