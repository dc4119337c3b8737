using Grpc.Core;

namespace Observatoire.Server.Web;

/// <summary>How a download answers a refusal of the service it calls: the HTTP status of the gRPC code, with its French detail.</summary>
internal static class WebAnswers
{
    /// <summary>
    /// Runs <paramref name="answer"/>; PERMISSION_DENIED, NOT_FOUND, INVALID_ARGUMENT and RESOURCE_EXHAUSTED become 403,
    /// 404, 400 and 429. Anything else is a fault.
    /// </summary>
    public static async Task<IResult> OrRefusalAsync(Func<Task<IResult>> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        try
        {
            return await answer();
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.PermissionDenied or StatusCode.NotFound or StatusCode.InvalidArgument or StatusCode.ResourceExhausted)
        {
            var status = e.StatusCode switch
            {
                StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
                StatusCode.NotFound => StatusCodes.Status404NotFound,
                StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
                _ => StatusCodes.Status400BadRequest,
            };
            return Results.Text(e.Status.Detail, "text/plain; charset=utf-8", statusCode: status);
        }
    }

    /// <summary>The request field an INVALID_ARGUMENT names in its google.rpc.BadRequest (for the error beside its input); null when none.</summary>
    public static string? FieldOf(RpcException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations.FirstOrDefault()?.Field;
    }
}
