using System.Diagnostics;
using System.Diagnostics.Metrics;
using Observatoire.Core.Validation;
using Observatoire.Data;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Infrastructure;

namespace Observatoire.Server.Telemetry;

/// <summary>
/// The server's own measurements, on one meter named "Observatoire" (scraped as observatoire_* at /metrics on the
/// management endpoint, exported over OTLP when configured). Tag values come from bounded sets: gRPC method names
/// of the served services, status codes, rule codes of the schema, a few fixed words; never a post, a key or a value.
/// </summary>
internal sealed class ObservatoireMetrics : IGridCommitObserver
{
    public const string MeterName = "Observatoire";

    private static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    private readonly Histogram<double> _rpcDuration;
    private readonly Counter<long> _gridsAccepted;
    private readonly Counter<long> _gridsRefused;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitDuration;
    private readonly Counter<long> _cacheLookups;
    private readonly Histogram<double> _secrecyPlanning;
    private readonly Counter<long> _secrecyFailures;
    private readonly Histogram<double> _rendering;
    private long _cubeUpdatedUnixMs;

    public ObservatoireMetrics(IMeterFactory meters, ConsolidationState consolidation, StorageHealth storage, TimeProvider clock)
    {
        var meter = meters.Create(MeterName);
        _rpcDuration = meter.CreateHistogram(
            "observatoire.rpc.server.duration", "s", "Durée des appels gRPC, par méthode et statut gRPC",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _gridsAccepted = meter.CreateCounter<long>("observatoire.grids.accepted", "{grid}", "Grilles déposées et acceptées (nouvelle révision ou inchangée)");
        _gridsRefused = meter.CreateCounter<long>("observatoire.grids.refused", "{grid}", "Grilles refusées, par code de règle en erreur (une grille compte pour chacun de ses codes)");
        _batchSize = meter.CreateHistogram(
            "observatoire.ingest.batch.size", "{grid}", "Grilles écrites par transaction de l'écrivain unique",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        _commitDuration = meter.CreateHistogram(
            "observatoire.ingest.commit.duration", "s", "Durée d'une transaction de l'écrivain unique, commit durable compris",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _cacheLookups = meter.CreateCounter<long>("observatoire.consolidation.cache.lookups", "{lookup}", "Recherches dans le cache des tableaux consolidés et des plans de secret, par table et résultat (hit, miss)");
        _secrecyPlanning = meter.CreateHistogram(
            "observatoire.secrecy.planning.duration", "s", "Durée du calcul d'un plan de secret statistique (une période, un indicateur)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _secrecyFailures = meter.CreateCounter<long>(
            "observatoire.secrecy.planning.failures", "{plan}", "Plans de secret statistique en échec, par indicateur : les chiffres sous le niveau national de leur tableau sont retenus");
        _rendering = meter.CreateHistogram(
            "observatoire.report.render.duration", "s", "Durée du dessin d'un graphique ou d'un document PDF, ou de la lecture d'un classeur déposé, par genre",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

        _cubeUpdatedUnixMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        meter.CreateObservableGauge("observatoire.cube.grids", () => CubeGrids(consolidation), "{grid}", "Grilles courantes dans le cube en mémoire");
        meter.CreateObservableGauge("observatoire.cube.cells", () => CubeCells(consolidation), "{cell}", "Cellules des grilles courantes du cube en mémoire");
        meter.CreateObservableGauge(
            "observatoire.cube.last_update_timestamp",
            () => Interlocked.Read(ref _cubeUpdatedUnixMs) / 1000.0,
            "s",
            "Heure (secondes Unix) du dernier changement du cube : chargement ou grille acceptée");
        meter.CreateObservableGauge("observatoire.database.size", () => DatabaseSize(storage), "By", "Taille du fichier de la base de données, journal WAL compris");
    }

    /// <summary>One gRPC call, with its full method name (/package.Service/Method) and its gRPC status name.</summary>
    public void RpcCompleted(string method, string status, TimeSpan duration) =>
        _rpcDuration.Record(duration.TotalSeconds, new("rpc.method", method), new("rpc.grpc.status", status));

    /// <summary>A submitted grid accepted: a new revision ("created") or the same content again ("unchanged").</summary>
    public void GridAccepted(StoreOutcome outcome) =>
        _gridsAccepted.Add(1, new KeyValuePair<string, object?>("outcome", outcome == StoreOutcome.Created ? "created" : "unchanged"));

    /// <summary>A submitted grid refused by validation: counted once under each rule code in error.</summary>
    public void GridRefused(IEnumerable<Violation> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var code in errors.Where(v => v.IsError).Select(v => v.RuleCode).Distinct(StringComparer.Ordinal))
        {
            _gridsRefused.Add(1, new KeyValuePair<string, object?>("rule", code));
        }
    }

    /// <summary>A submitted grid refused before validation could judge it, for a reason named by a fixed code.</summary>
    public void GridRefused(string reason) => _gridsRefused.Add(1, new KeyValuePair<string, object?>("rule", reason));

    /// <summary>The cube changed (a grid was accepted): its freshness is now.</summary>
    public void CubeUpdated(DateTimeOffset at) => Interlocked.Exchange(ref _cubeUpdatedUnixMs, at.ToUnixTimeMilliseconds());

    /// <inheritdoc />
    public void Committed(int grids, TimeSpan duration, long changeId)
    {
        _batchSize.Record(grids);
        _commitDuration.Record(duration.TotalSeconds);
    }

    /// <summary>A lookup in a consolidation cache ("hierarchy" tables or "secrecy" plans).</summary>
    public void CacheLookup(string table, bool hit) =>
        _cacheLookups.Add(1, new("table", table), new("result", hit ? "hit" : "miss"));

    /// <summary>Time taken to plan the secrecy of one period and indicator.</summary>
    public void SecrecyPlanned(TimeSpan duration) => _secrecyPlanning.Record(duration.TotalSeconds);

    /// <summary>A suppression plan that failed, by indicator code (a bounded set: the schema's).</summary>
    public void SecrecyPlanFailed(string indicator) => _secrecyFailures.Add(1, new KeyValuePair<string, object?>("indicator", indicator));

    /// <summary>Time taken to draw a chart ("chart") or a PDF document ("pdf").</summary>
    public void Rendered(string kind, TimeSpan duration) =>
        _rendering.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Measures <paramref name="work"/> and reports its duration, also when it fails.</summary>
    public static T Time<T>(Func<T> work, Action<TimeSpan> report)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(report);
        var started = Stopwatch.GetTimestamp();
        try
        {
            return work();
        }
        finally
        {
            report(Stopwatch.GetElapsedTime(started));
        }
    }

    private static IEnumerable<Measurement<long>> CubeGrids(ConsolidationState consolidation) =>
        consolidation.IsLoaded ? [new(consolidation.Cube.Count)] : [];

    private static IEnumerable<Measurement<long>> CubeCells(ConsolidationState consolidation)
    {
        if (!consolidation.IsLoaded)
        {
            return [];
        }

        long cells = 0;
        foreach (var post in consolidation.Registry.Posts.Keys)
        {
            foreach (var grid in consolidation.Cube.GridsOf(post))
            {
                cells += grid.Cells.Length;
            }
        }

        return [new(cells)];
    }

    private static IEnumerable<Measurement<long>> DatabaseSize(StorageHealth storage)
    {
        if (storage.DatabasePath is not { } path)
        {
            return [];
        }

        long Size(string file)
        {
            var info = new FileInfo(file);
            return info.Exists ? info.Length : 0;
        }

        return [new(Size(path) + Size(path + "-wal"))];
    }
}
