using System.Diagnostics;
using System.Globalization;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;
using Observatoire.Protos.V1;
using CoreFrequency = Observatoire.Core.Registry.ReportingFrequency;

namespace Observatoire.Benchmarks.Ingest;

/// <summary>
/// The CPU a grid costs in validation, in process: the simulated grids the ingest scenarios send, each with the
/// post's previous grids of its frequency as history (up to the schema's outlier window), as the server validates them:
/// the history as the server passes it (<see cref="CellValues"/> over each stored grid's cells), then, for comparison
/// with earlier figures, as dictionaries of the values the client sent.
/// </summary>
internal static class ValidationBenchmark
{
    public static void Run(IReadOnlyList<SubmitGridRequest> grids, IReadOnlyList<Post> posts)
    {
        var catalog = SchemaCatalog.LoadEmbedded();
        var validator = new GridValidator(catalog);
        var byId = posts.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var seen = new Dictionary<(string, PeriodKind), List<(Period Period, IReadOnlyDictionary<string, long> Values, IReadOnlyDictionary<string, long> Stored)>>();
        var cases = new List<(GridInput Grid, ValidationContext Context)>();
        var dictionaryCases = new List<(GridInput Grid, ValidationContext Context)>();
        foreach (var request in grids.Take(4000))
        {
            var grid = request.Grid;
            var input = new GridInput(grid.PostId, grid.Period, grid.SchemaVersion, grid.Values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal), grid.Comment);
            var period = Period.Parse(grid.Period);
            var post = byId[grid.PostId];
            var context = new PostContext(
                post.Id,
                (CoreFrequency)(int)post.Frequency,
                DateOnly.Parse(post.ActiveFrom, CultureInfo.InvariantCulture),
                post.ActiveTo.Length > 0 ? DateOnly.Parse(post.ActiveTo, CultureInfo.InvariantCulture) : null);
            var earlier = seen.TryGetValue((grid.PostId, period.Kind), out var list) ? list : seen[(grid.PostId, period.Kind)] = [];
            var previous = earlier.Where(e => e.Period.Start < period.Start).OrderByDescending(e => e.Period.Start).Take(catalog.Latest.Limits.OutlierHistory).ToList();
            cases.Add((input, new ValidationContext(today, context, [.. previous.Select(e => e.Stored)])));
            dictionaryCases.Add((input, new ValidationContext(today, context, [.. previous.Select(e => e.Values)])));
            var stored = validator.Validate(input, ValidationContext.For(today, context)).Grid is { } normalized
                ? new CellValues(normalized.Schema, normalized.Cells)
                : input.Values;
            earlier.Add((period, input.Values, stored));
        }

        var withHistory = cases.Count(c => c.Context.History.Count > 0);
        var (perGrid, cpuPerGrid, bytes, invalid) = Measure(validator, cases);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Validation in process: {perGrid:N1} µs (CPU {cpuPerGrid:N1} µs) and {bytes / 1024:N1} KiB allocated per grid ({cases.Count:N0} grids, {withHistory:N0} with history, {invalid} refused)."));
        (perGrid, cpuPerGrid, bytes, invalid) = Measure(validator, dictionaryCases);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  the history as dictionaries of the client's values: {perGrid:N1} µs (CPU {cpuPerGrid:N1} µs) and {bytes / 1024:N1} KiB allocated per grid ({invalid} refused)."));
    }

    private static (double PerGrid, double CpuPerGrid, double Bytes, int Invalid) Measure(GridValidator validator, List<(GridInput Grid, ValidationContext Context)> cases)
    {
        // Warm up for two seconds, not a few hundred grids: the JIT recompiles hot methods with full optimization
        // only after they have run for a while (tiered compilation), and a long-running server runs that code.
        var warmUp = Stopwatch.StartNew();
        do
        {
            foreach (var (grid, context) in cases)
            {
                validator.Validate(grid, context);
            }
        }
        while (warmUp.Elapsed < TimeSpan.FromSeconds(2));

        var invalid = 0;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Environment.CpuUsage.TotalTime;
        var watch = Stopwatch.StartNew();
        foreach (var (grid, context) in cases)
        {
            invalid += validator.Validate(grid, context).IsValid ? 0 : 1;
        }

        var perGrid = watch.Elapsed.TotalMicroseconds / cases.Count;

        // On a shared machine the wall clock counts other processes' time too; the process's CPU time does not.
        var cpuPerGrid = (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / cases.Count;
        var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)cases.Count;
        return (perGrid, cpuPerGrid, bytes, invalid);
    }
}
