using Google.Rpc;
using Grpc.Core;
using Observatoire.Protos.V1;

namespace Observatoire.Cli.Infrastructure;

/// <summary>Reads what a failed gRPC call says: status, French description, rule violations from google.rpc.BadRequest.</summary>
public static class RpcErrors
{
    /// <summary>
    /// The violations of a rejected grid: the server's full list when attached, else those of the
    /// google.rpc.BadRequest detail (field = cell path, reason = rule code, description = French message),
    /// as errors; empty when the failure has none.
    /// </summary>
    public static IReadOnlyList<Violation> Violations(RpcException exception)
    {
        Google.Rpc.Status? status;
        try
        {
            status = exception.GetRpcStatus();
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return [];
        }

        // The server also attaches every violation in full (severity, where the anonymity guard found personal data):
        // prefer it to the BadRequest, which any gRPC client understands but which carries errors only.
        if (status?.GetDetail<ValidateGridResponse>() is { Violations.Count: > 0 } full)
        {
            return [.. full.Violations];
        }

        var badRequest = status?.GetDetail<BadRequest>();
        if (badRequest is null)
        {
            return [];
        }

        return badRequest.FieldViolations
            .Select(v => new Violation
            {
                Path = v.Field,
                RuleCode = v.Reason,
                Message = string.IsNullOrEmpty(v.Description) ? v.LocalizedMessage?.Message ?? "" : v.Description,
                Severity = Severity.Error,
            })
            .ToList();
    }

    /// <summary>The server's message, or the French name of the status when the message is empty.</summary>
    public static string Detail(RpcException exception) =>
        string.IsNullOrWhiteSpace(exception.Status.Detail) ? StatusName(exception.StatusCode) : exception.Status.Detail;

    /// <summary>"Serveur injoignable à l'adresse ... (cause) : vérifiez ...", with the innermost cause when known.</summary>
    public static string Unreachable(string server, RpcException exception)
    {
        var cause = exception.Status.DebugException;
        while (cause?.InnerException is not null)
        {
            cause = cause.InnerException;
        }

        var detail = cause is not null ? cause.Message : Detail(exception);
        return $"Serveur injoignable à l'adresse {server} ({detail}). Vérifiez que le serveur est démarré, " +
               $"ou indiquez son adresse avec --server ou la variable {CliSettings.ServerEnvironmentVariable}.";
    }

    /// <summary>French name of a gRPC status code.</summary>
    public static string StatusName(StatusCode code) => code switch
    {
        StatusCode.OK => "succès",
        StatusCode.InvalidArgument => "requête invalide",
        StatusCode.NotFound => "introuvable",
        StatusCode.AlreadyExists => "existe déjà",
        StatusCode.FailedPrecondition => "condition préalable non remplie",
        StatusCode.PermissionDenied => "accès refusé",
        StatusCode.Unauthenticated => "authentification requise",
        StatusCode.Internal => "erreur interne du serveur",
        StatusCode.Unimplemented => "opération non prise en charge par le serveur",
        StatusCode.DeadlineExceeded => "délai dépassé",
        StatusCode.ResourceExhausted => "ressources du serveur épuisées",
        StatusCode.Unavailable => "serveur indisponible",
        StatusCode.Cancelled => "appel annulé",
        StatusCode.Aborted => "opération interrompue",
        StatusCode.OutOfRange => "valeur hors limites",
        StatusCode.DataLoss => "perte de données",
        _ => code.ToString(),
    };
}
