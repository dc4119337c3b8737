using System.Globalization;
using Observatoire.Benchmarks.Consolidation;
using Observatoire.Benchmarks.Freshness;
using Observatoire.Benchmarks.Growth;
using Observatoire.Benchmarks.Ingest;
using Observatoire.Benchmarks.Reports;

// One command, every scenario, in one process tree on loopback (run by hand, never a timed test):
//   dotnet run -c Release --project tools/Observatoire.Benchmarks -- [all|ingest|validation|consolidation|queries|freshness|growth|report] [--seconds 5] [--window 16] [--years 10] [--posts 600]
// Freshness across two instances needs a PostgreSQL cluster (a superuser's connection string; without it, skipped):
//   ... -- freshness [--probes 200] [--clients 3 | --no-background] [--postgres "Host=127.0.0.1;Port=55461;Username=postgres;Password=postgres"]   (or OBSERVATOIRE_BENCH_POSTGRES)
// growth: the queries at 1, 2, 5 and 10 years of history (up to --years), then the real server's memory on 0 to 10 years (growth-queries, growth-server: one half).
// The national annual report against its charts drawn by ScottPlot alone (also run by all):
//   dotnet run -c Release --project tools/Observatoire.Benchmarks -- report [--posts 600] [--year 2025] [--pdf report.pdf]
// Secrecy planning of a national year, one indicator or all (minutes on the largest):
//   dotnet run -c Release --project tools/Observatoire.Benchmarks -- secrecy [indicator] [--posts 600] [--database obs.db --year 2025] [--profile]
var what = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
var seconds = Option("--seconds", 5);
var window = Option("--window", 16);
var years = Option("--years", 10);
var posts = Option("--posts", 600);

Console.WriteLine($"Observatoire benchmarks — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
Console.WriteLine();
if (what == "secrecy")
{
    var only = args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? args[1] : null;
    var at = Array.IndexOf(args, "--database");
    SecrecyScenario.Run(Observatoire.Core.Schemas.SchemaCatalog.LoadEmbedded(), ConsolidationBenchmark.BuildRegistry(posts), Option("--year", 2025), only, at >= 0 && at + 1 < args.Length ? args[at + 1] : null, args.Contains("--profile"));
    return 0;
}

if (what is "all" or "ingest" or "validation")
{
    await IngestBenchmark.RunAsync(TimeSpan.FromSeconds(seconds), window, validationOnly: what == "validation");
    Console.WriteLine();
}

if (what is "all" or "consolidation" or "queries")
{
    ConsolidationBenchmark.Run(years, posts, liveOnly: what == "queries");
    Console.WriteLine();
}

if (what is "all" or "freshness")
{
    var at = Array.IndexOf(args, "--postgres");
    var postgres = at >= 0 && at + 1 < args.Length ? args[at + 1] : Environment.GetEnvironmentVariable(FreshnessBenchmark.PostgresVariable);
    await FreshnessBenchmark.RunAsync(Option("--probes", 200), args.Contains("--no-background") ? 0 : Option("--clients", 3), postgres is { Length: > 0 } ? postgres : null);
}

if (what is "all" or "growth" or "growth-queries" or "growth-server")
{
    int[] sizes = [.. new[] { 1, 2, 5, 10 }.Where(s => s < years), years];
    if (what != "growth-server")
    {
        QueryGrowth.Run(sizes, posts);
        Console.WriteLine();
    }

    if (what != "growth-queries")
    {
        await ServerGrowth.RunAsync(sizes, posts);
    }
}

if (what is "all" or "report")
{
    var pdf = Array.IndexOf(args, "--pdf");
    ReportBenchmark.Run(posts, Option("--year", 2025), pdf >= 0 && pdf + 1 < args.Length ? args[pdf + 1] : null);
}

return 0;

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) && value > 0
        ? value
        : fallback;
}
