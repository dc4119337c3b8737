using System.Globalization;
using Observatoire.Core.Periods;

namespace Observatoire.Core.Campaigns;

/// <summary>An administrator's decision on a period: close or reopen, for every post, a department or one post.</summary>
/// <param name="Sequence">Order of the decisions: the latest applicable one wins.</param>
public sealed record CampaignDecisionInfo(long Sequence, bool Close, string? DepartmentCode, string? PostId, string Reason);

/// <summary>Whether a post may file its grid for a period, and why not.</summary>
public sealed record CampaignState(bool Open, string? Reason);

/// <summary>
/// When a period is open for submission. A period's deadline is its last day plus the deadline days; it
/// closes by itself a configurable number of days after that deadline. An administrator may close it earlier
/// or reopen it, for every post, one department or one post: the latest decision that applies to a post wins
/// over the automatic closing.
/// </summary>
public static class CampaignRules
{
    /// <summary>Last day a grid of the period is on time.</summary>
    public static DateOnly Deadline(Period period, int deadlineDays) => period.End.AddDays(deadlineDays);

    /// <summary>First day the period is closed without a decision; null when periods never close by themselves (closeAfterDays 0).</summary>
    public static DateOnly? ClosesOn(Period period, int deadlineDays, int closeAfterDays) =>
        closeAfterDays > 0 ? Deadline(period, deadlineDays).AddDays(closeAfterDays + 1) : null;

    /// <summary>Whether <paramref name="postId"/>, located in <paramref name="departmentCode"/> for the period, may file it today.</summary>
    public static CampaignState StateFor(
        Period period,
        string postId,
        string departmentCode,
        IEnumerable<CampaignDecisionInfo> decisions,
        DateOnly today,
        int deadlineDays,
        int closeAfterDays)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var latest = decisions
            .Where(d => d.PostId is { } post ? post == postId : d.DepartmentCode is not { } department || department == departmentCode)
            .MaxBy(d => d.Sequence);
        if (latest is not null)
        {
            return latest.Close ? new CampaignState(false, $"la période {period} a été close par l'administration nationale ({latest.Reason})") : new CampaignState(true, null);
        }

        return ClosesOn(period, deadlineDays, closeAfterDays) is { } closes && today >= closes
            ? new CampaignState(false, $"la période {period} est close depuis le {closes.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} ({closeAfterDays} jours après l'échéance du {Deadline(period, deadlineDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})")
            : new CampaignState(true, null);
    }
}
