using System.Globalization;
using Observatoire.Protos.V1;

namespace Observatoire.Cli.Simulation;

/// <summary>Settings of a simulated year.</summary>
public sealed record SimulationOptions
{
    /// <summary>The simulated year.</summary>
    public required int Year { get; init; }

    /// <summary>The current instant: only periods ended before today are simulated, and nothing is received after now.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>The seed: the same seed gives the same grids.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Share of expected grids never received (0 to 1).</summary>
    public double Missing { get; init; } = 0.03;

    /// <summary>Share of expected grids received after the deadline (0 to 1).</summary>
    public double Late { get; init; } = 0.10;

    /// <summary>Number of grids where one indicator is multiplied by 8.</summary>
    public int Outliers { get; init; } = 5;

    /// <summary>Schema version written in the grids.</summary>
    public string SchemaVersion { get; init; } = "2025.1";

    /// <summary>Days after a period's end within which a grid is on time (the server's deadline).</summary>
    public int DeadlineDays { get; init; } = 15;

    /// <summary>Latest delay of a late grid, in days after the period's end.</summary>
    public int LatestDelayDays { get; init; } = 60;
}

/// <summary>
/// Generates a realistic synthetic year of grids for the posts of the registry, deterministic for a seed.
/// <para>
/// Each post gets a monthly activity: new persons (Poisson, driven by the post's FTE, its zone, the population of its
/// department per post, a seasonal profile and a ramp-up after its opening), persons of the follow-up seen again,
/// interviews and a follow-up stock. A grid adds up the months of its period (month, quarter or year, after the post's
/// reporting frequency); its breakdowns are drawn as multinomials so that every sum rule of the schema holds exactly
/// (statut, sexe × tranche d'âge, origine, connu des services sociaux, modalité), with new persons never above persons
/// received and interviews never below them. Problems and referrals are multi-valued counts with their own seasons
/// (more domestic violence in summer and around new year, fewer referrals from social services and justice in August).
/// </para>
/// <para>
/// A share of the grids is missing, another is late (received 16 to 60 days after the period's end, the others 1 to 14
/// days after), and a few planted outliers have one indicator multiplied by 8. Every draw depends only on the seed, the
/// post and the period, so adding a post or changing the shares leaves the other grids unchanged.
/// </para>
/// </summary>
public sealed class GridSimulator
{
    /// <summary>New persons per month for one full-time post of average demand.</summary>
    public const double NewPersonsPerFteMonth = 26;

    /// <summary>Factor applied to the indicator of a planted outlier.</summary>
    public const int OutlierFactor = 8;

    /// <summary>
    /// Indicators that can carry a planted outlier: they have a total (what outliers examines by default) and multiplying
    /// them and their breakdown keeps every rule of the schema.
    /// </summary>
    public static readonly IReadOnlyList<string> OutlierIndicators = ["entretiens", "accompagnements_physiques", "file_active_fin", "signalements_procureur"];

    // Seasonal profile of new persons (index 1-12): more in summer and around new year, fewer in August (staff on leave).
    private static readonly double[] NewPersonsSeason = [0, 1.08, 0.96, 1.00, 0.99, 1.00, 1.04, 1.08, 0.92, 1.00, 1.01, 0.97, 1.06];

    // Domestic violence: summer and the end-of-year holidays.
    private static readonly double[] DomesticViolenceSeason = [0, 1.15, 0.95, 0.95, 0.97, 1.00, 1.08, 1.18, 1.15, 0.95, 0.95, 0.95, 1.12];

    // Child protection reports follow the school year.
    private static readonly double[] SchoolSeason = [0, 1.05, 1.05, 1.05, 1.00, 1.05, 1.00, 0.75, 0.60, 1.00, 1.10, 1.05, 0.95];

    // Referrals from social services, associations and justice drop in July and August.
    private static readonly double[] ReferralSeason = [0, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 0.80, 0.50, 1.05, 1.05, 1.00, 0.90];

    // Evictions resume when the winter truce ends (1 April) and stop from November.
    private static readonly double[] EvictionSeason = [0, 0.70, 0.70, 0.70, 1.40, 1.30, 1.20, 1.00, 0.90, 1.00, 1.00, 0.70, 0.70];

    // Social distress in winter; isolated vulnerable persons in heat waves and in January.
    private static readonly double[] WinterSeason = [0, 1.15, 1.15, 1.00, 0.95, 0.95, 0.95, 0.95, 0.95, 1.00, 1.00, 1.15, 1.15];
    private static readonly double[] IsolationSeason = [0, 1.10, 1.00, 1.00, 1.00, 1.00, 1.05, 1.25, 1.25, 1.00, 1.00, 1.00, 1.00];

    // Neighbourhood conflicts in summer.
    private static readonly double[] SummerSeason = [0, 0.90, 0.90, 0.95, 1.00, 1.05, 1.15, 1.25, 1.20, 1.00, 0.95, 0.90, 0.90];

    private static readonly string[] Statuts = ["victime", "mis_en_cause", "entourage", "autre"];
    private static readonly double[] StatutWeights = [0.68, 0.12, 0.12, 0.08];

    private static readonly string[] Sexes = ["femme", "homme", "non_renseigne"];
    private static readonly double[] SexeWeights = [0.70, 0.27, 0.03];
    private static readonly string[] Ages = ["moins_13", "13_17", "18_25", "26_40", "41_60", "61_plus", "non_renseigne"];
    private static readonly double[][] AgeWeightsBySexe =
    [
        [0.04, 0.07, 0.14, 0.36, 0.27, 0.08, 0.04],
        [0.06, 0.10, 0.12, 0.30, 0.27, 0.10, 0.05],
        [0.10, 0.10, 0.10, 0.20, 0.20, 0.10, 0.20],
    ];

    private static readonly string[] Origines =
        ["police_nationale", "gendarmerie_nationale", "auto_saisine", "services_sociaux", "associations", "justice", "demarche_spontanee", "autre"];

    private static readonly string[] Connu = ["oui", "non", "ne_sait_pas"];
    private static readonly double[] ConnuWeights = [0.33, 0.55, 0.12];

    private static readonly string[] Modalites = ["physique", "telephonique", "visite_domicile_hopital"];
    private static readonly double[] ModaliteWeights = [0.64, 0.30, 0.06];

    private static readonly string[] Problematiques =
    [
        "violences_conjugales", "violences_intrafamiliales", "violences_sexuelles", "mineur_en_danger", "conflit_familial",
        "conflit_voisinage", "detresse_sociale", "expulsion_hebergement", "sante_mentale_addictions", "personne_vulnerable_isolee",
        "disparition_fugue", "emprise_radicalisation", "autre",
    ];

    private static readonly string[] Orientations =
    [
        "service_social_departemental", "ase_crip", "aide_aux_victimes", "hebergement_urgence", "sante", "acces_au_droit",
        "ccas_mairie", "logement", "emploi_insertion", "autre",
    ];

    private readonly IReadOnlyList<Post> _posts;
    private readonly Dictionary<string, Department> _departments;
    private readonly SimulationOptions _options;
    private readonly Dictionary<string, int> _postsPerDepartment;
    private readonly double _populationPerPost;

    /// <summary>Creates a simulator for the registry's posts and departments.</summary>
    public GridSimulator(IEnumerable<Post> posts, IEnumerable<Department> departments, SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Missing is < 0 or > 1 || options.Late is < 0 or > 1 || options.Missing + options.Late > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Les parts de grilles manquantes et en retard vont de 0 à 1 et leur somme aussi.");
        }

        _options = options;
        _posts = [.. posts.Where(ActiveInYear).OrderBy(p => p.Id, StringComparer.Ordinal)];
        _departments = departments.ToDictionary(d => d.Code, StringComparer.OrdinalIgnoreCase);
        _postsPerDepartment = _posts.GroupBy(p => p.DepartmentCode, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        var population = _postsPerDepartment.Keys.Sum(code => _departments.TryGetValue(code, out var d) ? d.Population : 0);
        _populationPerPost = _posts.Count > 0 && population > 0 ? (double)population / _posts.Count : 150_000;
    }

    /// <summary>Every cell a simulated grid carries, for checking them against the server's schema.</summary>
    public static IReadOnlyList<string> CellKeys { get; } = BuildCellKeys();

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

    /// <summary>The expected periods of a post in the year: those of its frequency, ended, while it was active.</summary>
    public IEnumerable<SimulationPeriod> ExpectedPeriods(Post post)
    {
        var (from, to) = ActiveRange(post);
        return SimulationPeriod.Of(post.Frequency, _options.Year)
            .Where(p => p.End < Today && p.End >= from && (to is null || p.Start <= to));
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
            yield return new SimulatedGrid(grid, period, fate, receivedAt, "", null);
        }
    }

    /// <summary>Monthly activity of a post over the year (index 1-12; index 0 unused).</summary>
    private MonthActivity[] SimulateMonths(Post post)
    {
        var year = _options.Year;
        var random = SimulationRandom.For(_options.Seed, "poste", post.Id, year.ToString(CultureInfo.InvariantCulture));
        var (from, to) = ActiveRange(post);
        var fte = post.Fte > 0 ? post.Fte : 1.0;
        var postFactor = random.Factor(0.22, 0.6, 1.6);
        var baseNew = NewPersonsPerFteMonth * fte * Demand(post) * ZoneFactor(post.Zone) * postFactor;

        // A post open before the year starts with a follow-up near its steady state (about 1.8 months of new persons).
        var followUp = from < new DateOnly(year, 1, 1) ? random.Poisson(1.8 * baseNew) : 0;
        var months = new MonthActivity[13];
        months[0] = new MonthActivity();
        for (var m = 1; m <= 12; m++)
        {
            var start = new DateOnly(year, m, 1);
            var end = start.AddMonths(1).AddDays(-1);
            var activeStart = from > start ? from : start;
            var activeEnd = to is { } t && t < end ? t : end;
            var share = activeEnd < activeStart ? 0 : (activeEnd.DayNumber - activeStart.DayNumber + 1) / (double)(end.DayNumber - start.DayNumber + 1);
            var monthNoise = random.Factor(0.08, 0.8, 1.25);
            if (share <= 0)
            {
                // Before the opening or after the closing: no activity, no follow-up.
                followUp = activeEnd < activeStart && to is { } closed && closed < start ? 0 : followUp;
                months[m] = new MonthActivity { FollowUpStart = followUp, FollowUpEnd = followUp };
                continue;
            }

            var monthsOpen = (start.Year - from.Year) * 12 + start.Month - from.Month;
            var ramp = Math.Min(1.0, 0.45 + 0.15 * Math.Max(0, monthsOpen));
            var lambda = baseNew * NewPersonsSeason[m] * ramp * share * monthNoise;
            var newPersons = random.Poisson(lambda);
            var returning = random.Binomial(followUp, 0.45 * share);
            var received = newPersons + returning;
            var interviews = received + random.Poisson(received * 0.6);
            var accompaniments = random.Poisson(received * 0.07);
            var followUpStart = followUp;
            followUp = random.Binomial(followUp, 0.62) + random.Binomial(newPersons, 0.7);
            months[m] = new MonthActivity
            {
                NewPersons = newPersons,
                Received = received,
                Interviews = interviews,
                Accompaniments = accompaniments,
                FollowUpStart = followUpStart,
                FollowUpEnd = followUp,
            };
        }

        return months;
    }

    private Grid BuildGrid(Post post, SimulationPeriod period, MonthActivity[] months)
    {
        var random = SimulationRandom.For(_options.Seed, "grille", post.Id, period.ToString());
        var inPeriod = period.Months.ToList();
        var activities = inPeriod.Select(m => months[m]).ToList();

        var newPersons = activities.Sum(a => a.NewPersons);
        long received;
        if (inPeriod.Count == 1)
        {
            received = activities[0].Received;
        }
        else
        {
            // Distinct persons over several months: the new ones, plus those of the starting follow-up seen at least once.
            var seenAgain = 1 - Math.Pow(0.55, activities.Count(a => a.Received > 0 || a.NewPersons > 0));
            received = newPersons + random.Binomial(activities[0].FollowUpStart, seenAgain);
            received = Math.Max(received, activities.Max(a => a.Received));
        }

        var interviews = Math.Max(activities.Sum(a => a.Interviews), received);
        var accompaniments = activities.Sum(a => a.Accompaniments);
        var followUpEnd = activities[^1].FollowUpEnd;

        double Season(double[] profile) => inPeriod.Average(m => profile[m]);

        var values = new Dictionary<string, long>(StringComparer.Ordinal);

        // Section A/B: persons received, by status and by sex and age.
        values["personnes_recues"] = received;
        var statuts = random.Multinomial(received, StatutWeights);
        for (var i = 0; i < Statuts.Length; i++)
        {
            values[$"personnes_recues[statut={Statuts[i]}]"] = statuts[i];
        }

        var bySexe = random.Multinomial(received, SexeWeights);
        for (var s = 0; s < Sexes.Length; s++)
        {
            var byAge = random.Multinomial(bySexe[s], AgeWeightsBySexe[s]);
            for (var a = 0; a < Ages.Length; a++)
            {
                values[$"personnes_recues[sexe={Sexes[s]},tranche_age={Ages[a]}]"] = byAge[a];
            }
        }

        // Section A/D/H: new persons, by origin (after the post's zone) and known to social services.
        values["personnes_nouvelles"] = newPersons;
        var origines = random.Multinomial(newPersons, OriginWeights(post.Zone, Season(ReferralSeason)));
        for (var i = 0; i < Origines.Length; i++)
        {
            values[$"personnes_nouvelles[origine={Origines[i]}]"] = origines[i];
        }

        var connu = random.Multinomial(newPersons, ConnuWeights);
        for (var i = 0; i < Connu.Length; i++)
        {
            values[$"personnes_nouvelles[connu_services_sociaux={Connu[i]}]"] = connu[i];
        }

        values["file_active_fin"] = followUpEnd;

        // Section A/E: interviews by mode, accompaniments.
        values["entretiens"] = interviews;
        var modalites = random.Multinomial(interviews, ModaliteWeights);
        for (var i = 0; i < Modalites.Length; i++)
        {
            values[$"entretiens[modalite={Modalites[i]}]"] = modalites[i];
        }

        values["accompagnements_physiques"] = accompaniments;

        // Section C: problems, multi-valued (a person may present several).
        double[] problemRates =
        [
            0.42 * Season(DomesticViolenceSeason),
            0.14,
            0.07,
            0.09 * Season(SchoolSeason),
            0.11,
            0.05 * Season(SummerSeason),
            0.16 * Season(WinterSeason),
            0.035 * Season(EvictionSeason),
            0.11,
            0.07 * Season(IsolationSeason),
            0.03,
            0.01,
            0.05,
        ];
        var problems = new long[Problematiques.Length];
        for (var i = 0; i < Problematiques.Length; i++)
        {
            problems[i] = random.Binomial(received, Math.Min(problemRates[i], 0.95));
            values[$"problematiques[problematique={Problematiques[i]}]"] = problems[i];
        }

        var childInDanger = problems[3];
        var sexualViolence = problems[2];

        // Section F: referrals, multi-valued.
        var victims = statuts[0];
        long[] referrals =
        [
            random.Binomial(received, 0.22),
            random.Binomial(childInDanger, 0.45) + random.Binomial(received, 0.005),
            random.Binomial(victims, 0.42),
            random.Binomial(received, 0.05 * Season(WinterSeason)),
            random.Binomial(received, 0.10),
            random.Binomial(received, 0.16),
            random.Binomial(received, 0.06),
            random.Binomial(received, 0.035),
            random.Binomial(received, 0.025),
            random.Binomial(received, 0.04),
        ];
        for (var i = 0; i < Orientations.Length; i++)
        {
            values[$"orientations[orientation={Orientations[i]}]"] = referrals[i];
        }

        // Section G: acts. Child protection reports only with a child in danger.
        values["informations_preoccupantes"] = random.Binomial(childInDanger, 0.35);
        values["signalements_procureur"] = random.Binomial(sexualViolence + childInDanger, 0.12);

        var grid = new Grid
        {
            PostId = post.Id,
            Period = period.ToString(),
            SchemaVersion = _options.SchemaVersion,
            Comment = $"Grille simulée (observatoire simulate, graine {_options.Seed.ToString(CultureInfo.InvariantCulture)}).",
        };
        foreach (var key in CellKeys)
        {
            grid.Values[key] = values[key];
        }

        return grid;
    }

    private (GridFate Fate, DateTimeOffset? ReceivedAt) Reception(Post post, SimulationPeriod period)
    {
        var seed = _options.Seed;
        var name = period.ToString();
        if (SimulationRandom.UniformOf(seed, "manquante", post.Id, name) < _options.Missing)
        {
            return (GridFate.Missing, null);
        }

        // Late among the grids received, so that the late share is one of all expected grids.
        var lateAmongReceived = _options.Missing >= 1 ? 0 : _options.Late / (1 - _options.Missing);
        var late = SimulationRandom.UniformOf(seed, "retard", post.Id, name) < lateAmongReceived;
        var random = SimulationRandom.For(seed, "reception", post.Id, name);
        var delay = late
            ? random.NextInt(_options.DeadlineDays + 1, Math.Max(_options.DeadlineDays + 1, _options.LatestDelayDays))
            : random.NextInt(1, Math.Max(1, _options.DeadlineDays - 1));

        // Office hours, in UTC (07:30 to 18:30 in Paris in winter).
        var minutes = random.NextInt(6 * 60 + 30, 17 * 60 + 30);
        var day = period.End.AddDays(delay);
        var receivedAt = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddMinutes(minutes);
        var latest = _options.Now.AddMinutes(-2);
        if (receivedAt <= latest)
        {
            return (late ? GridFate.Late : GridFate.OnTime, receivedAt);
        }

        if (late)
        {
            // Will be received later than now: not there yet.
            return (GridFate.Pending, null);
        }

        // On time but later than now: received just now, still after the period's end and within the deadline.
        return DateOnly.FromDateTime(latest.UtcDateTime) > period.End
            ? (GridFate.OnTime, latest)
            : (GridFate.Pending, null);
    }

    private void PlantOutliers(List<SimulatedGrid> grids)
    {
        if (_options.Outliers <= 0)
        {
            return;
        }

        var seed = _options.Seed;

        // Monthly grids from July have enough history for the post's own median to show them; then the others.
        var candidates = grids
            .Select((grid, index) => (grid, index))
            .Where(c => c.grid.IsSent)
            .OrderBy(c => c.grid.Period.Kind == ReportingFrequency.Month && c.grid.Period.Index >= 7 ? 0 : 1)
            .ThenBy(c => SimulationRandom.UniformOf(seed, "atypique", c.grid.Grid.PostId, c.grid.Grid.Period))
            .ToList();
        var planted = 0;
        foreach (var (candidate, index) in candidates)
        {
            if (planted >= _options.Outliers)
            {
                break;
            }

            var pick = (int)(SimulationRandom.UniformOf(seed, "atypique-indicateur", candidate.Grid.PostId, candidate.Grid.Period) * OutlierIndicators.Count);
            var indicator = OutlierIndicators[Math.Clamp(pick, 0, OutlierIndicators.Count - 1)];
            if (IndicatorTotal(candidate.Grid, indicator) < 3)
            {
                indicator = "entretiens";
                if (IndicatorTotal(candidate.Grid, indicator) < 3)
                {
                    continue;
                }
            }

            var grid = candidate.Grid.Clone();
            foreach (var key in grid.Values.Keys.Where(k => k == indicator || k.StartsWith(indicator + "[", StringComparison.Ordinal)).ToList())
            {
                grid.Values[key] *= OutlierFactor;
            }

            grids[index] = candidate with { Grid = grid, OutlierIndicator = indicator };
            planted++;
        }
    }

    private static long IndicatorTotal(Grid grid, string indicator) =>
        grid.Values.TryGetValue(indicator, out var total)
            ? total
            : grid.Values.Where(v => v.Key.StartsWith(indicator + "[", StringComparison.Ordinal)).Sum(v => v.Value);

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

    private static double[] OriginWeights(Zone zone, double referralSeason)
    {
        var (police, gendarmerie) = zone switch
        {
            Zone.Police => (0.50, 0.02),
            Zone.Gendarmerie => (0.02, 0.50),
            _ => (0.26, 0.26),
        };
        return
        [
            police,
            gendarmerie,
            0.12,
            0.10 * referralSeason,
            0.06 * (0.4 + 0.6 * referralSeason),
            0.05 * (0.2 + 0.8 * referralSeason),
            0.11,
            0.04,
        ];
    }

    private static List<string> BuildCellKeys()
    {
        var keys = new List<string> { "personnes_recues" };
        keys.AddRange(Statuts.Select(s => $"personnes_recues[statut={s}]"));
        keys.AddRange(Sexes.SelectMany(s => Ages.Select(a => $"personnes_recues[sexe={s},tranche_age={a}]")));
        keys.Add("personnes_nouvelles");
        keys.AddRange(Origines.Select(o => $"personnes_nouvelles[origine={o}]"));
        keys.AddRange(Connu.Select(c => $"personnes_nouvelles[connu_services_sociaux={c}]"));
        keys.Add("file_active_fin");
        keys.Add("entretiens");
        keys.AddRange(Modalites.Select(m => $"entretiens[modalite={m}]"));
        keys.Add("accompagnements_physiques");
        keys.AddRange(Problematiques.Select(p => $"problematiques[problematique={p}]"));
        keys.AddRange(Orientations.Select(o => $"orientations[orientation={o}]"));
        keys.Add("informations_preoccupantes");
        keys.Add("signalements_procureur");
        return keys;
    }

    private sealed class MonthActivity
    {
        public long NewPersons { get; init; }

        public long Received { get; init; }

        public long Interviews { get; init; }

        public long Accompaniments { get; init; }

        public long FollowUpStart { get; init; }

        public long FollowUpEnd { get; init; }
    }
}
