using Observatoire.Server.Reports;
using Observatoire.Server.Security;
using Observatoire.Server.Telemetry;
using Observatoire.Workbooks;

namespace Observatoire.Server.Web.Grids;

/// <summary>
/// Workbooks being read, bounded apart from the charts and documents: a workbook within the format's limits may take
/// seconds and hundreds of megabytes to read, so uploads have their own gate (half the processors, at least one),
/// leaving the drawing gate to charts, bilans and reports; and an account reads one workbook at a time (a second,
/// sent while the first is read, is refused rather than queued), so that one account cannot fill the queue: counted
/// with the streams and documents of each key (<see cref="OpenStreams"/>, <see cref="OpenStreamKind.Workbooks"/>).
/// </summary>
internal sealed class WorkbookReadings(ObservatoireMetrics metrics, OpenStreams openStreams)
{
    private readonly RenderGate _gate = new(Math.Max(1, Environment.ProcessorCount / 2), metrics);

    /// <summary>The refusal of a second workbook of the same account.</summary>
    public const string Busy = "Un classeur de ce compte est déjà en cours de lecture : attendez son résultat avant d'en déposer un autre.";

    /// <summary>The workbook read; null when the account already has one being read.</summary>
    public async Task<WorkbookReading?> ReadAsync(string account, Stream workbook, CancellationToken ct)
    {
        if (!openStreams.TryEnter(account, OpenStreamKind.Workbooks, out var place))
        {
            return null;
        }

        using (place)
        {
            return await _gate.RunAsync(() => WorkbookReader.Read(workbook), ct, kind: "classeur");
        }
    }
}
