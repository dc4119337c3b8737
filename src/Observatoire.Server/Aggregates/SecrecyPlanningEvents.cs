using Microsoft.Extensions.Options;
using Observatoire.Core.Consolidation;
using Observatoire.Server.Telemetry;

namespace Observatoire.Server.Aggregates;

/// <summary>
/// What the server does with the suppression plans made in the background: their duration and failures go to the
/// metrics, a failure to the log as an error with the table it was for (year, indicator, data version). Readers of a
/// table whose plan failed get its figures below the nation withheld (<see cref="PublishedTables"/>), never the error.
/// </summary>
internal sealed partial class SecrecyPlanningEvents
{
    /// <summary>
    /// Test-only setting: while the file it names exists, every suppression plan fails as it starts, so that a test sees
    /// what readers get from a failed plan (never set in production; README, Operations).
    /// </summary>
    public const string FailPlansKey = "Testing:FailSecrecyPlansWhileFileExists";

    /// <summary>
    /// Test-only setting: while the file it names exists, every suppression plan waits before it starts, as a slow plan
    /// of a large year would, so that a test sees how long readers wait (never set in production; README, Configuration).
    /// </summary>
    public const string HoldPlansKey = "Testing:HoldSecrecyPlansWhileFileExists";

    private readonly ObservatoireMetrics _metrics;
    private readonly ILogger<SecrecyPlanningEvents> _logger;
    private readonly string? _failWhileExists;
    private readonly string? _holdWhileExists;
    private readonly TimeSpan _retryAfter;

    public SecrecyPlanningEvents(ObservatoireMetrics metrics, ILogger<SecrecyPlanningEvents> logger, IConfiguration configuration, IOptions<ConsolidationOptions> options)
    {
        _metrics = metrics;
        _logger = logger;
        _failWhileExists = configuration[FailPlansKey] is { Length: > 0 } path ? path : null;
        _holdWhileExists = configuration[HoldPlansKey] is { Length: > 0 } held ? held : null;
        _retryAfter = TimeSpan.FromSeconds(options.Value.PlanRetrySeconds);
    }

    /// <summary>The events given to the planner of one set of published tables.</summary>
    public PlanningEvents Create() => new()
    {
        Planned = _metrics.SecrecyPlanned,
        Failed = Failed,
        RepairOverBudget = (year, indicator, cells) => LogRepairOverBudget(_logger, year, indicator, cells),
        Starting = (_failWhileExists, _holdWhileExists) switch
        {
            (null, null) => null,
            (var fail, var hold) => (_, _) =>
            {
                HoldWhileExists(hold);
                FailWhileExists(fail);
            },
        },
        RetryAfter = _retryAfter,
    };

    private void Failed(PlanFailure failure)
    {
        _metrics.SecrecyPlanFailed(failure.Indicator);
        LogPlanFailed(_logger, failure.Error, failure.Year, failure.Indicator, failure.Version, _retryAfter.TotalSeconds);
    }

    private static void HoldWhileExists(string? path)
    {
        while (path is not null && File.Exists(path))
        {
            Thread.Sleep(20);
        }
    }

    private static void FailWhileExists(string? path)
    {
        if (path is not null && File.Exists(path))
        {
            throw new InvalidOperationException($"Échec de plan provoqué pour un test ({FailPlansKey}).");
        }
    }

    [LoggerMessage(EventId = 51, Level = LogLevel.Warning, Message = "Suppression plan of {Year} {Indicator}: the second pass ran out of its budget (Consolidation:MaxRepairVariables); {Cells} primary cells keep the first pass's range")]
    private static partial void LogRepairOverBudget(ILogger logger, int year, string indicator, int cells);

    [LoggerMessage(EventId = 50, Level = LogLevel.Error, Message = "Suppression plan of {Year} {Indicator} (data version {Version}) failed: its figures below the nation are withheld; tried again in {RetrySeconds} s or on new data")]
    private static partial void LogPlanFailed(ILogger logger, Exception error, int year, string indicator, long version, double retrySeconds);
}
