using Observatoire.Core.Access;
using Observatoire.Core.Validation;
using Observatoire.Data;
using Observatoire.Server.Grpc;

namespace Observatoire.Server.Grids;

/// <summary>
/// A submission id already used for another grid: refused ALREADY_EXISTS on every way in (gRPC, REST, the pages), never
/// taken as a success, since the revision the id names may be another post's.
/// </summary>
internal static class SubmissionConflict
{
    public static void ThrowIfAny(StoreResult stored, CallerScope caller, string submissionId)
    {
        if (stored.Outcome != StoreOutcome.SubmissionIdConflict)
        {
            return;
        }

        // Which grid it served for is said only to a caller who may read that post's grids: the id may be another post's.
        var which = AccessPolicy.ForPostGrids(caller, stored.Revision.PostId).Allowed
            ? $" (poste {stored.Revision.PostId}, période {stored.Revision.Period}, révision {stored.Revision.Revision})"
            : "";
        throw RpcErrors.AlreadyExists(
            $"L'identifiant de soumission « {ClientText.Quote(submissionId)} » a déjà servi pour une autre grille{which} : donnez à chaque grille un identifiant nouveau (un UUID).");
    }
}
