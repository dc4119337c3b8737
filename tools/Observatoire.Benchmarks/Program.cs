using System.Globalization;
using Observatoire.Benchmarks.Consolidation;
using Observatoire.Benchmarks.Ingest;

// One command, every scenario, in one process tree on loopback (run by hand, never a timed test):
//   dotnet run -c Release --project tools/Observatoire.Benchmarks -- [all|ingest|validation|consolidation|queries] [--seconds 5] [--window 16] [--years 10] [--posts 600]
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
}

return 0;

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) && value > 0
        ? value
        : fallback;
}
