using System.Globalization;
using Observatoire.Protos.V1;

namespace Observatoire.Simulation;

/// <summary>
/// Generates a realistic synthetic year of grids for the posts of the registry, from the schema a server serves,
/// deterministic for a seed.
/// <para>
/// Each post gets a monthly activity: distinct persons received (new persons, Poisson, driven by the post's FTE, its
/// zone, the population of its department per post, a seasonal profile and a ramp-up after its opening, plus persons
/// of the follow-up seen again) and a follow-up stock. Every cell then follows from the schema alone: distinct-person
/// totals are the month's persons, flows are drawn around them at a rate and with a season of their own, stocks follow
/// the follow-up, breakdowns that add up to their total are multinomials, multi-valued breakdowns are binomials. The
/// declared comparisons ("a &lt;= b", "a &gt;= b") and "a == 0 or b &gt; 0" rules hold by construction. Rates, weights
/// and seasons are drawn from each code, so a new grid version needs no change.
/// </para>
/// <para>
/// A grid adds up the months of its period by each cell's aggregation: flows add up, stocks take the last month, and
/// distinct persons over several months lie between the largest month and the sum of the months. When the schema has
/// a yearly bilan, every post also sends the grid of its year, consistent with its months. A share of the grids is
/// missing, another is late (received 16 to 60 days after the period's end, the others 1 to 14 days after), and a few
/// planted outliers have one indicator multiplied by 8. Every draw depends only on the seed, the post and the period.
/// </para>
/// </summary>
public sealed partial class GridSimulator
{
    /// <summary>New persons per month for one full-time post of average demand.</summary>
    public const double NewPersonsPerFteMonth = 26;

    /// <summary>Factor applied to the indicator of a planted outlier.</summary>
    public const int OutlierFactor = 8;

    // Seasonal profile of new persons (index 1-12): more in summer and around new year, fewer in August (staff on leave).
    private static readonly double[] NewPersonsSeason = [0, 1.08, 0.96, 1.00, 0.99, 1.00, 1.04, 1.08, 0.92, 1.00, 1.01, 0.97, 1.06];

    private readonly IReadOnlyList<Post> _posts;
    private readonly Dictionary<string, Department> _departments;
    private readonly SimulationOptions _options;
    private readonly SimulationSchema _schema;
    private readonly Dictionary<string, int> _postsPerDepartment;
    private readonly double _populationPerPost;
    private readonly Dictionary<string, SimulationCell> _cellsByKey;
    private readonly string _firstDistinctTotal;

    /// <summary>Creates a simulator for the registry's posts and departments and the served schema.</summary>
    public GridSimulator(IEnumerable<Post> posts, IEnumerable<Department> departments, SimulationSchema schema, SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(schema);
        if (options.Missing is < 0 or > 1 || options.Late is < 0 or > 1 || options.Missing + options.Late > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Les parts de grilles manquantes et en retard vont de 0 à 1 et leur somme aussi.");
        }

        _options = options;
        _schema = schema;
        _cellsByKey = schema.Cells.ToDictionary(c => c.Key, StringComparer.Ordinal);
        _firstDistinctTotal = schema.Cells.FirstOrDefault(c => c.IsTotal && c.Aggregation == Aggregation.None)?.Key ?? "";
        _posts = [.. posts.Where(ActiveInYear).OrderBy(p => p.Id, StringComparer.Ordinal)];
        _departments = departments.ToDictionary(d => d.Code, StringComparer.OrdinalIgnoreCase);
        _postsPerDepartment = _posts.GroupBy(p => p.DepartmentCode, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        var population = _postsPerDepartment.Keys.Sum(code => _departments.TryGetValue(code, out var d) ? d.Population : 0);
        _populationPerPost = _posts.Count > 0 && population > 0 ? (double)population / _posts.Count : 150_000;
        OutlierIndicators = [.. schema.Cells
            .Where(c => c.IsTotal && c.Aggregation != Aggregation.None)
            .Where(c => !schema.Orderings.Any(o => o.Smaller == c.Key))
            .Select(c => c.Key)];
    }

    /// <summary>
    /// Indicators that can carry a planted outlier: totals that are not distinct persons and never the smaller side of
    /// a declared comparison, so that multiplying them and their breakdowns keeps every rule.
    /// </summary>
    public IReadOnlyList<string> OutlierIndicators { get; }

    /// <summary>Every cell a simulated grid carries: those of the schema.</summary>
    public IReadOnlyList<string> CellKeys => [.. _schema.Cells.Select(c => c.Key)];

    /// <summary>Posts active at some time in the year, in id order.</summary>
    public IReadOnlyList<Post> Posts => _posts;

    /// <summary>The day from which periods count as not ended (UTC date of now).</summary>
    public DateOnly Today => DateOnly.FromDateTime(_options.Now.UtcDateTime);

    /// <summary>Simulates the year for every post (or those <paramref name="include"/> keeps).</summary>
    public SimulationResult Run(Func<Post, bool>? include = null)
    {
        var grids = new List<SimulatedGrid>();
        var posts = 0;
        foreach (var post in _posts)
        {
            if (include is not null && !include(post))
            {
                continue;
            }

            var before = grids.Count;
            grids.AddRange(SimulatePost(post));
            if (grids.Count > before)
            {
                posts++;
            }
        }

        PlantOutliers(grids);
        var final = grids
            .Select(g => g with { SubmissionId = SubmissionId(g.Grid) })
            .ToList();
        var ordered = final.Where(g => g.IsSent)
            .OrderBy(g => g.ReceivedAt)
            .ThenBy(g => g.Grid.PostId, StringComparer.Ordinal)
            .ThenBy(g => g.Grid.Period, StringComparer.Ordinal)
            .Concat(final.Where(g => !g.IsSent)
                .OrderBy(g => g.Grid.PostId, StringComparer.Ordinal)
                .ThenBy(g => g.Grid.Period, StringComparer.Ordinal))
            .ToList();
        return new SimulationResult(ordered, posts);
    }

    /// <summary>
    /// The expected periods of a post in the year: those of its frequency, ended, while it was active; and the year
    /// itself (its yearly bilan) when the schema has one.
    /// </summary>
    public IEnumerable<SimulationPeriod> ExpectedPeriods(Post post)
    {
        var (from, to) = ActiveRange(post);
        var own = SimulationPeriod.Of(post.Frequency, _options.Year);
        var bilan = _schema.HasYearlyBilan && post.Frequency != ReportingFrequency.Year
            ? SimulationPeriod.Of(ReportingFrequency.Year, _options.Year)
            : [];
        return own.Concat(bilan).Where(p => p.End < Today && p.End >= from && (to is null || p.Start <= to));
    }

    /// <summary>Deterministic submission id: seed, post, period and a fingerprint of the content.</summary>
    public string SubmissionId(Grid grid)
    {
        var parts = new List<string> { grid.SchemaVersion, grid.Comment };
        parts.AddRange(grid.Values.Where(v => v.Value != 0).Select(v => $"{v.Key}={v.Value.ToString(CultureInfo.InvariantCulture)}").Order(StringComparer.Ordinal));
        var fingerprint = SimulationRandom.Key(_options.Seed, [.. parts]).ToString("x16", CultureInfo.InvariantCulture)[..8];
        return $"sim-{_options.Seed.ToString(CultureInfo.InvariantCulture)}-{grid.PostId}-{grid.Period}-{fingerprint}";
    }

    private bool ActiveInYear(Post post)
    {
        if (post.Frequency == ReportingFrequency.Unspecified)
        {
            return false;
        }

        var (from, to) = ActiveRange(post);
        return from <= new DateOnly(_options.Year, 12, 31) && (to is null || to >= new DateOnly(_options.Year, 1, 1));
    }

    private static (DateOnly From, DateOnly? To) ActiveRange(Post post)
    {
        var from = DateOnly.TryParseExact(post.ActiveFrom, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var f)
            ? f
            : DateOnly.MinValue;
        DateOnly? to = DateOnly.TryParseExact(post.ActiveTo, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t
            : null;
        return (from, to);
    }

    private IEnumerable<SimulatedGrid> SimulatePost(Post post)
    {
        var periods = ExpectedPeriods(post).ToList();
        if (periods.Count == 0)
        {
            yield break;
        }

        var months = SimulateMonths(post);
        foreach (var period in periods)
        {
            var grid = BuildGrid(post, period, months);
            var (fate, receivedAt) = Reception(post, period);
            yield return new SimulatedGrid(grid, period, fate, receivedAt, "", null)
            {
                IsYearlyBilan = period.Kind == ReportingFrequency.Year && post.Frequency != ReportingFrequency.Year,
            };
        }
    }

    /// <summary>Every cell of every month of the year for a post (index 1-12; index 0 unused).</summary>
    private Dictionary<string, long>[] SimulateMonths(Post post)
    {
        var year = _options.Year;
        var random = SimulationRandom.For(_options.Seed, "poste", post.Id, year.ToString(CultureInfo.InvariantCulture));
        var (from, to) = ActiveRange(post);
        var fte = post.Fte > 0 ? post.Fte : 1.0;
        var postFactor = random.Factor(0.22, 0.6, 1.6);
        var baseNew = NewPersonsPerFteMonth * fte * Demand(post) * ZoneFactor(post.Zone) * postFactor;

        // A post open before the year starts with a follow-up near its steady state (about 1.8 months of new persons).
        var followUp = from < new DateOnly(year, 1, 1) ? random.Poisson(1.8 * baseNew) : 0;
        var months = new Dictionary<string, long>[13];
        months[0] = [];
        for (var m = 1; m <= 12; m++)
        {
            var start = new DateOnly(year, m, 1);
            var end = start.AddMonths(1).AddDays(-1);
            var activeStart = from > start ? from : start;
            var activeEnd = to is { } t && t < end ? t : end;
            var share = activeEnd < activeStart ? 0 : (activeEnd.DayNumber - activeStart.DayNumber + 1) / (double)(end.DayNumber - start.DayNumber + 1);
            var monthNoise = random.Factor(0.08, 0.8, 1.25);
            long received = 0;
            if (share > 0)
            {
                var monthsOpen = (start.Year - from.Year) * 12 + start.Month - from.Month;
                var ramp = Math.Min(1.0, 0.45 + 0.15 * Math.Max(0, monthsOpen));
                var newPersons = random.Poisson(baseNew * NewPersonsSeason[m] * ramp * share * monthNoise);
                received = newPersons + random.Binomial(followUp, 0.45 * share);
                followUp = random.Binomial(followUp, 0.62) + random.Binomial(newPersons, 0.7);
            }
            else if (to is { } closed && closed < start)
            {
                followUp = 0;
            }

            months[m] = MonthCells(post, m, received, followUp);
        }

        return months;
    }

    /// <summary>The cells of one month from its persons received and its follow-up at the month's end.</summary>
    private Dictionary<string, long> MonthCells(Post post, int month, long received, long followUp)
    {
        var random = SimulationRandom.For(_options.Seed, "mois", post.Id, _options.Year.ToString(CultureInfo.InvariantCulture), month.ToString(CultureInfo.InvariantCulture));
        var values = new Dictionary<string, long>(StringComparer.Ordinal);

        // Totals first: distinct persons are the month's persons, flows are drawn around them, stocks follow the follow-up.
        foreach (var cell in _schema.Cells.Where(c => c.IsTotal))
        {
            values[cell.Key] = cell.Aggregation switch
            {
                Aggregation.None => cell.Key == _firstDistinctTotal ? received : random.Binomial(received, Rate(cell.Key, 0.3, 0.95)),
                Aggregation.Last => random.Binomial(followUp, Rate(cell.Key, 0.7, 1.0)),
                _ => random.Poisson(received * LogRate(cell.Key, 0.02, 1.7) * Season(cell.Key, month)),
            };
        }

        // The declared comparisons between totals, twice so that chains settle.
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var ordering in _schema.Orderings.Where(o => _cellsByKey[o.Smaller].IsTotal && _cellsByKey[o.Larger].IsTotal))
            {
                if (values[ordering.Smaller] > values[ordering.Larger])
                {
                    if (_cellsByKey[ordering.Larger].Aggregation == Aggregation.None)
                    {
                        values[ordering.Smaller] = values[ordering.Larger];
                    }
                    else
                    {
                        values[ordering.Larger] = values[ordering.Smaller];
                    }
                }
            }
        }

        // Breakdowns: shares of their total when they add up to it, otherwise counts among the persons received.
        foreach (var group in _schema.Cells.Where(c => !c.IsTotal).GroupBy(c => (c.Indicator.Code, c.Breakdown!.Code)))
        {
            var cells = group.ToList();
            var breakdown = cells[0].Breakdown!;
            if (breakdown.SumsToTotal && cells[0].Indicator.HasTotal)
            {
                var shares = random.Multinomial(values[cells[0].Indicator.Code], [.. cells.Select(Weight)]);
                for (var i = 0; i < cells.Count; i++)
                {
                    values[cells[i].Key] = shares[i];
                }
            }
            else
            {
                var reference = cells[0].Indicator.HasTotal ? values[cells[0].Indicator.Code] : received;
                foreach (var cell in cells)
                {
                    values[cell.Key] = random.Binomial(reference, Math.Min(0.9, Rate(cell.Key, 0.005, 0.45) * Season(cell.Key, month)));
                }
            }
        }

        foreach (var rule in _schema.ZeroUnlessRules)
        {
            if (values[rule.Condition] == 0)
            {
                ZeroIndicatorOf(values, rule.Cell);
            }
        }

        return values;
    }

    private void ZeroIndicatorOf(Dictionary<string, long> values, string key)
    {
        var cell = _cellsByKey[key];
        foreach (var other in _schema.Cells.Where(c => c.Indicator == cell.Indicator && (key == c.Indicator.Code || c.Key == key)))
        {
            values[other.Key] = 0;
        }
    }

    private Grid BuildGrid(Post post, SimulationPeriod period, Dictionary<string, long>[] months)
    {
        var values = Values(post, period, months);
        var grid = new Grid
        {
            PostId = post.Id,
            Period = period.ToString(),
            SchemaVersion = _schema.Version,
            Comment = $"Grille simulée (observatoire simulate, graine {_options.Seed.ToString(CultureInfo.InvariantCulture)}).",
        };
        foreach (var cell in _schema.Cells)
        {
            grid.Values[cell.Key] = values[cell.Key];
        }

        return grid;
    }

    /// <summary>A rate of its own for each code, between the bounds, the same for every seed.</summary>
    private static double Rate(string key, double min, double max) => min + (max - min) * SimulationRandom.UniformOf(0, "taux", key);

    /// <summary>A rate of its own for each code, log-uniform between the bounds: flows range from rare acts to several per person.</summary>
    private static double LogRate(string key, double min, double max) => min * Math.Pow(max / min, SimulationRandom.UniformOf(0, "taux", key));

    /// <summary>A season of its own for each code: up to ±20 % around a peak month.</summary>
    private static double Season(string key, int month)
    {
        var amplitude = 0.2 * SimulationRandom.UniformOf(0, "saison", key);
        var peak = 12 * SimulationRandom.UniformOf(0, "pic", key);
        return 1 + amplitude * Math.Cos(2 * Math.PI * (month - peak) / 12);
    }

    /// <summary>
    /// The weight of a breakdown cell: the product of its options' weights, each drawn from its code and smaller down
    /// the list (forms put the main category first and "autre" or "non renseigné" last).
    /// </summary>
    private static double Weight(SimulationCell cell) =>
        cell.Coordinates.Aggregate(1.0, (w, c) => w
            * (0.3 + SimulationRandom.UniformOf(0, "poids", cell.Indicator.Code, c.Dimension.Code, c.Option.Code))
            * Math.Pow(0.7, c.Dimension.Options.IndexOf(c.Option)));

    /// <summary>Demand of a post: population of its department per post, against the national average, damped.</summary>
    private double Demand(Post post)
    {
        if (!_departments.TryGetValue(post.DepartmentCode, out var department) || department.Population <= 0)
        {
            return 1.0;
        }

        var postsHere = Math.Max(1, _postsPerDepartment.GetValueOrDefault(post.DepartmentCode, 1));
        var perPost = department.Population / (double)postsHere;
        return Math.Clamp(Math.Pow(perPost / _populationPerPost, 0.3), 0.6, 1.7);
    }

    private static double ZoneFactor(Zone zone) => zone switch
    {
        Zone.Police => 1.10,
        Zone.Gendarmerie => 0.90,
        _ => 1.00,
    };
}
