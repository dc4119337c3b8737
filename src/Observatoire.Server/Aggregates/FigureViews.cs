using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Schemas;
using Observatoire.Data;
using Observatoire.Server.Grpc;
using Observatoire.Server.Telemetry;

namespace Observatoire.Server.Aggregates;

/// <summary>
/// The figures a read asks for: today's (the live cube and registry) or those as of an instant, when only the grid
/// revisions received by then count, over the registry as recorded by then. A cube as of an instant is read from the
/// stored revisions (every one is kept) with the registry from its history (<see cref="RegistryHistory"/>), and
/// published with tables of its own, planned by the same planner: the live snapshots are not touched, and the same
/// cut-off gives the same published figures whatever was filed or changed in the registry since. Instants that name
/// the same revisions and post versions share one cube, and at most
/// <see cref="ConsolidationOptions.AsOfCubes"/> cubes are kept, least recently used dropped, whatever instants are asked.
/// </summary>
internal sealed class FigureViews
{
    private readonly IServiceScopeFactory _scopes;
    private readonly SchemaCatalog _catalog;
    private readonly ConsolidationOptions _options;
    private readonly ObservatoireMetrics _metrics;
    private readonly SecrecyPlanningEvents _planning;
    private readonly TimeProvider _clock;
    private readonly LruCache<(DateTime LastReceived, long RegistryVersion), Task<PublishedFigures>> _cubes;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, DateTime> _knownCutOffs = new();
    private int _loads;
    private static readonly TimeSpan LoadWindow = TimeSpan.FromMinutes(1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Queue<(long At, (DateTime, long) Key)>> _loadsBy = new(StringComparer.Ordinal);

    public FigureViews(
        PublishedFigures live,
        IServiceScopeFactory scopes,
        SchemaCatalog catalog,
        IOptions<ConsolidationOptions> options,
        ObservatoireMetrics metrics,
        SecrecyPlanningEvents planning,
        TimeProvider clock)
    {
        Live = live;
        _scopes = scopes;
        _catalog = catalog;
        _options = options.Value;
        _metrics = metrics;
        _planning = planning;
        _clock = clock;
        // A cube dropped from memory is not read by new callers: the plans it still has queued that no reader waits for
        // are cancelled, so that a caller who asks for instant after instant keeps the planners busy for the cubes kept
        // only. A reader still holding it (an export, a report) gets the plans it waits for (PublicationSnapshot.AwaitPlan).
        _cubes = new LruCache<(DateTime LastReceived, long RegistryVersion), Task<PublishedFigures>>(
            _options.AsOfCubes,
            evicted: load => load.ContinueWith(t => t.Result.Abandon(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default));
    }

    /// <summary>The cubes as of an instant held in memory now.</summary>
    public int CachedCubes => _cubes.Count;

    /// <summary>The cubes as of an instant loaded since the server started.</summary>
    public int Loads => Volatile.Read(ref _loads);

    /// <summary>Today's figures.</summary>
    public PublishedFigures Live { get; }

    /// <summary>The earliest instant a read may ask for: when the first version of the grid came into force.</summary>
    public DateTime Epoch => _catalog.All[0].ValidFrom.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>
    /// Today's figures when <paramref name="asOf"/> is absent, else those as of that instant (checked: INVALID_ARGUMENT
    /// on <paramref name="field"/>): any instant when <paramref name="anyInstant"/> (a caller who may read the figures
    /// raw, <see cref="Core.Access.AccessPolicy.ReadsAnyInstant"/>), else only a published edition's cut-off.
    /// </summary>
    /// <param name="holder">The key or account asking: the cubes it has loaded are bounded (<see cref="ConsolidationOptions.AsOfLoadsPerKeyPerMinute"/>).</param>
    public async Task<PublishedFigures> ForAsync(Timestamp? asOf, string field, bool anyInstant, string holder, CancellationToken ct)
    {
        if (asOf is null)
        {
            return Live;
        }

        var instant = Instant(asOf, field);
        return await AtAsync(anyInstant ? instant : await CutOffAsync(instant, field, ct), ct, holder);
    }

    /// <summary>
    /// The published editions (name, year, cut-off), the latest cut-off first: the instants of published figures, at most
    /// <paramref name="limit"/> of them (the pages offer them as choices).
    /// </summary>
    public async Task<IReadOnlyList<PublishedCutOff>> CutOffsAsync(CancellationToken ct, int limit = 1000)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var editions = await scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>().Editions.AsNoTracking()
            .OrderByDescending(e => e.CutOffUtc).ThenBy(e => e.Name).Take(limit)
            .Select(e => new { e.Name, e.Year, e.CutOffUtc }).ToListAsync(ct);
        return [.. editions
            .Select(e => new PublishedCutOff(e.Name, e.Year, DateTime.SpecifyKind(e.CutOffUtc, DateTimeKind.Utc)))
            .OrderByDescending(e => e.CutOffUtc).ThenBy(e => e.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The published edition's cut-off that <paramref name="instant"/> names (to the microsecond, PostgreSQL's
    /// precision), exactly as stored; refused, naming those there are, when it names none.
    /// </summary>
    private async Task<DateTime> CutOffAsync(DateTime instant, string field, CancellationToken ct)
    {
        // A published edition never changes nor goes: a cut-off once found is remembered, so that a map's hundred
        // department reads at it ask the database once. Any other instant is read afresh (another instance may have
        // just published it).
        var micros = instant.Ticks / 10;
        if (_knownCutOffs.TryGetValue(micros, out var known))
        {
            return known;
        }

        // The editions within the instant's microsecond only: a reader asking instant after instant reads one row, not every edition.
        var from = new DateTime(micros * 10, DateTimeKind.Utc);
        var to = from.AddTicks(10);
        await using (var scope = _scopes.CreateAsyncScope())
        {
            var matching = await scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>().Editions.AsNoTracking()
                .Where(e => e.CutOffUtc >= from && e.CutOffUtc < to).Select(e => e.CutOffUtc).Take(1).ToListAsync(ct);
            if (matching.Count > 0)
            {
                var named = DateTime.SpecifyKind(matching[0], DateTimeKind.Utc);
                _knownCutOffs.TryAdd(micros, named);
                return named;
            }
        }

        var cutOffs = await CutOffsAsync(ct, limit: 2);

        // Within a message's 300 characters: the latest cut-offs (ListEditions, GET /v1/editions, lists them all).
        var listed = cutOffs.Count == 0
            ? "aucune n'est publiée"
            : "dernières : " + string.Join(", ", cutOffs.Select(c => c.Text).Distinct().Take(2));
        throw RpcErrors.InvalidField(
            field,
            "DATE_NON_PUBLIEE",
            $"Les chiffres publiés se lisent à ce jour ou à l'arrêté d'une édition publiée ({listed}) : entre deux instants quelconques, la différence donnerait une grille. Tout instant est réservé à qui lit les chiffres bruts.");
    }

    /// <summary>A request's instant: a valid timestamp, not in the future, not before <see cref="Epoch"/>.</summary>
    public DateTime Instant(Timestamp asOf, string field)
    {
        DateTime instant;
        try
        {
            instant = asOf.ToDateTime();
        }
        catch (InvalidOperationException)
        {
            throw RpcErrors.InvalidField(field, "DATE_INVALIDE", "L'instant demandé n'est pas une date valide (secondes et nanosecondes hors limites).");
        }

        return Problem(instant) is { } problem ? throw RpcErrors.InvalidField(field, problem.Reason, problem.Message) : instant;
    }

    /// <summary>Why figures cannot be read as of an instant (in the future, or before <see cref="Epoch"/>), in French; null when they can.</summary>
    public (string Reason, string Message)? Problem(DateTime instant)
    {
        if (instant > _clock.GetUtcNow().UtcDateTime)
        {
            return ("DATE_FUTURE", $"L'instant demandé ({instant:yyyy-MM-dd'T'HH:mm:ss'Z'}) est dans le futur : les chiffres ne sont connus que jusqu'à maintenant.");
        }

        return instant < Epoch
            ? ("DATE_TROP_ANCIENNE", $"L'instant demandé ({instant:yyyy-MM-dd}) précède la première version de la grille ({Epoch:yyyy-MM-dd}) : aucun chiffre n'existait.")
            : null;
    }

    /// <summary>The figures as of a checked instant.</summary>
    /// <param name="holder">The key or account asking, whose loads are bounded; null for the server's own work (publishing an edition).</param>
    public async Task<PublishedFigures> AtAsync(DateTime asOf, CancellationToken ct, string? holder = null)
    {
        AsOfPosition position;
        await using (var scope = _scopes.CreateAsyncScope())
        {
            position = await ConsolidationLoader.PositionAtAsync(scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>(), asOf, ct);
        }

        // The revisions received and the post versions recorded by the request's instant are exactly those up to the last of each.
        var key = (position.LastReceived ?? DateTime.MinValue, position.RegistryVersion);
        var cached = _cubes.ContainsKey(key);
        _metrics.CacheLookup("as_of", cached);
        if (!cached && holder is not null)
        {
            ChargeLoad(holder, key);
        }

        var load = _cubes.GetOrAdd(key, LoadAsync);
        try
        {
            return (await load.WaitAsync(ct)).At(asOf);
        }
        catch (Exception) when (load.IsFaulted)
        {
            _cubes.RemoveWhere(k => k == key);
            throw;
        }
    }

    /// <summary>
    /// Counts a cube load against the holder's minute, or refuses it RESOURCE_EXHAUSTED beyond
    /// <see cref="ConsolidationOptions.AsOfLoadsPerKeyPerMinute"/>. The same instant asked again within the minute (a
    /// map's hundred reads at once) counts once.
    /// </summary>
    private void ChargeLoad(string holder, (DateTime LastReceived, long RegistryVersion) key)
    {
        var budget = _options.AsOfLoadsPerKeyPerMinute;
        if (budget <= 0)
        {
            return;
        }

        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        var loads = _loadsBy.GetOrAdd(holder, _ => new Queue<(long At, (DateTime, long) Key)>());
        lock (loads)
        {
            while (loads.Count > 0 && System.Diagnostics.Stopwatch.GetElapsedTime(loads.Peek().At, now) >= LoadWindow)
            {
                loads.Dequeue();
            }

            if (loads.Any(l => l.Key == key))
            {
                return;
            }

            if (loads.Count >= budget)
            {
                var retry = LoadWindow - System.Diagnostics.Stopwatch.GetElapsedTime(loads.Peek().At, now);
                throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Les chiffres ont été demandés à {budget} instants différents en une minute par cette clé ou ce compte : chacun est relu depuis la base. Réessayez dans {Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds))} s, ou relisez un instant déjà demandé."));
            }

            loads.Enqueue((now, key));
        }
    }

    private async Task<PublishedFigures> LoadAsync((DateTime LastReceived, long RegistryVersion) key)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>();

        // Shared by every caller of this instant: not cancelled by the first one's request.
        var cube = await ConsolidationLoader.LoadCubeAsOfAsync(db, _catalog, key.LastReceived, CancellationToken.None);
        var registry = await ConsolidationLoader.LoadRegistryAsOfAsync(db, key.RegistryVersion, CancellationToken.None);
        var consolidator = new Consolidator(_catalog, registry, cube);
        Interlocked.Increment(ref _loads);
        return new PublishedFigures(() => consolidator, _options, _metrics, _planning, key.LastReceived, hierarchies: 64);
    }
}

/// <summary>A published edition's cut-off: an instant whose published figures any reader of them may ask.</summary>
public sealed record PublishedCutOff(string Name, int Year, DateTime CutOffUtc)
{
    /// <summary>The cut-off as requests and links write it (every digit of the stored instant).</summary>
    public string Text => CutOffUtc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="instant"/> is this cut-off, to the microsecond (what PostgreSQL keeps).</summary>
    public bool Is(DateTime instant) => CutOffUtc.Ticks / 10 == instant.Ticks / 10;
}
