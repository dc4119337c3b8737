using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Observatoire.Core.Validation;
using ValidateGridResponse = Observatoire.Protos.V1.ValidateGridResponse;

namespace Observatoire.Server.Grpc;

/// <summary>Builds the gRPC errors of the API, with the rich error model where a field is at fault.</summary>
internal static class RpcErrors
{
    /// <summary>INVALID_ARGUMENT carrying a google.rpc.BadRequest (one field violation per error) and every violation.</summary>
    public static RpcException Rejected(IReadOnlyList<Violation> violations, int maxReported, string subject = "Grille refusée")
    {
        var errors = violations.Where(v => v.IsError).ToList();
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(errors.Take(maxReported).Select(v => new BadRequest.Types.FieldViolation
        {
            Field = v.Path,
            Reason = v.RuleCode,
            Description = v.Message,
        }));
        var detail = new ValidateGridResponse { Valid = false };
        detail.Violations.AddRange(violations.Take(maxReported).Select(ProtoMapping.ToProto));
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = errors.Count == 1
                ? $"{subject} : {errors[0].Message}"
                : $"{subject} : {errors.Count} erreurs ({string.Join(", ", errors.Select(e => e.RuleCode).Distinct().Take(8))}).",
            Details = { Any.Pack(badRequest), Any.Pack(detail) },
        };
        return status.ToRpcException();
    }

    /// <summary>INVALID_ARGUMENT for one request field, with a google.rpc.BadRequest.</summary>
    public static RpcException InvalidField(string field, string reason, string message)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = message,
            Details =
            {
                Any.Pack(new BadRequest
                {
                    FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Reason = reason, Description = message } },
                }),
            },
        };
        return status.ToRpcException();
    }

    public static RpcException NotFound(string message) => new(new global::Grpc.Core.Status(StatusCode.NotFound, message));

    public static RpcException AlreadyExists(string message) => new(new global::Grpc.Core.Status(StatusCode.AlreadyExists, message));
}
