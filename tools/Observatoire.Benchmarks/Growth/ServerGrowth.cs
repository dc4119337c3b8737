using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Observatoire.Benchmarks.Consolidation;
using Observatoire.Benchmarks.Ingest;
using SchemaCatalog = Observatoire.Core.Schemas.SchemaCatalog;
using Observatoire.Protos.V1;
using Observatoire.Soak;
using ReportingFrequency = Observatoire.Core.Registry.ReportingFrequency;
using Zone = Observatoire.Core.Registry.Zone;

namespace Observatoire.Benchmarks.Growth;

/// <summary>
/// The real server's memory as its history grows: the built server as a child process (<see cref="ChildServer"/>) on a
/// SQLite file seeded with the consolidation world's posts (all active since 2010), started on 0 years of grids, then
/// on more and more years; each time its start-up time (process start to <c>/health/ready</c>), its peak and current
/// working set (<c>VmHWM</c>, <c>VmRSS</c>) once ready and after a national year and the national monthly series over
/// every year (raw figures: what consolidation costs, without secrecy planning). The server that was measured then
/// receives the next years' simulated grids through <c>SubmitGrids</c> streams (the ingest benchmark's clients and
/// driver, many in flight), and is killed; the next one starts on the grown file.
/// </summary>
internal static class ServerGrowth
{
    private const int LastYear = 2025;
    private const int Clients = 16;
    private const int Window = 16;

    public sealed record Row(string History, double Years, int Grids, double DatabaseMiB, double WalMiB, double StartSeconds, double StartCpuSeconds, long HwmReadyKiB, long RssReadyKiB, Timings Queries, long HwmQueriedKiB, long RssQueriedKiB);

    /// <summary>Each query's first answer after start-up and a second one (the same query again).</summary>
    public sealed record Timings(double YearMs, double YearAgainMs, double SeriesMs, double SeriesAgainMs);

    public static async Task<List<Row>> RunAsync(IReadOnlyList<int> sizes, int targetPosts)
    {
        var directory = Directory.CreateTempSubdirectory("observatoire-growth-").FullName;
        var database = Path.Combine(directory, "growth.db");
        var postsCsv = Path.Combine(directory, "postes.csv");
        WritePosts(postsCsv, ConsolidationBenchmark.BuildPosts(targetPosts));
        var apiKey = "obs_benchadmin00_" + Guid.NewGuid().ToString("N");
        var settings = new Dictionary<string, string>
        {
            ["Security:RateLimitPermits"] = "0",
            ["ReferenceData:PostsCsvPath"] = postsCsv,
        };
        if (WriteEarlierGrid(Path.Combine(directory, "grilles"), LastYear - sizes.Max() + 1) is { } earlier)
        {
            settings["Schemas:Directory"] = earlier;
        }

        var serverDll = ChildServer.LocateServerDll();
        var rows = new List<Row>();
        var grids = 0;
        var built = TimeSpan.Zero;
        Console.WriteLine($"Server growth — {serverDll}, {targetPosts} posts seeded from {postsCsv}, database {database}");
        try
        {
            // The file created (migrations, reference data) by a first start that is not measured: every measured start opens
            // an existing file. A grid is accepted only in a period a schema covers: the history the server can hold ends there.
            int earliest;
            await using (var first = await ChildServer.StartAsync(serverDll, database, apiKey, TimeSpan.FromSeconds(300), settings: settings))
            {
                using var channel = first.CreateChannel();
                earliest = (await new SchemaService.SchemaServiceClient(channel).ListSchemasAsync(new ListSchemasRequest())).Schemas
                    .Min(v => DateOnly.ParseExact(v.ValidFrom, "yyyy-MM-dd", CultureInfo.InvariantCulture).Year);
            }

            var covered = LastYear - earliest + 1;
            var held = sizes.Select(s => Math.Min(s, covered)).Prepend(0).Distinct().Order().ToList();
            if (sizes.Max() > covered)
            {
                Console.WriteLine($"  The server's schemas begin in {earliest}: it holds at most {covered} whole years up to {LastYear}, then the ended periods of {DateTime.UtcNow.Year}; {sizes.Max()} years are measured in memory only (above).");
            }

            var thisYear = DateTime.UtcNow.Year;
            var steps = held.Select((years, i) => (Label: $"{years}", Years: (double)years, Next: i + 1 < held.Count
                    ? Enumerable.Range(LastYear - held[i + 1] + 1, held[i + 1] - years).ToList()
                    : thisYear > LastYear ? [thisYear] : []))
                .ToList();
            if (thisYear > LastYear)
            {
                steps.Add(($"{held[^1]} + {thisYear} to date", held[^1] + ((DateTime.UtcNow.Month - 1) / 12.0), []));
            }

            foreach (var (label, years, next) in steps)
            {
                var startedAt = Stopwatch.GetTimestamp();
                await using var server = await ChildServer.StartAsync(serverDll, database, apiKey, TimeSpan.FromSeconds(600), settings: settings, aliveOnly: true);
                await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(600), TimeSpan.FromMilliseconds(50));
                var start = Stopwatch.GetElapsedTime(startedAt);
                var ready = Memory(server.ProcessId);
                var cpu = (await new ServerGauge(server.ProcessId, server.ManagementAddress).ReadAsync()).CpuSeconds;
                var queries = await QueryAsync(server, LastYear - 9); // the same ten-year series at every size
                var queried = Memory(server.ProcessId);
                var (main, wal) = DatabaseMiB(database);
                var row = new Row(label, years, grids, main, wal, start.TotalSeconds, cpu, ready.Hwm, ready.Rss, queries, queried.Hwm, queried.Rss);
                rows.Add(row);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {label} years: {grids:N0} grids, {main:N1} MiB on disk (+ {wal:N1} MiB of WAL), ready in {start.TotalSeconds:N1} s ({cpu:N1} s of CPU), VmHWM {ready.Hwm / 1024.0:N0} MiB, VmRSS {ready.Rss / 1024.0:N0} MiB; national year {queries.YearMs:N0} ms then {queries.YearAgainMs:N0} ms, series {queries.SeriesMs:N0} ms then {queries.SeriesAgainMs:N0} ms; then VmHWM {queried.Hwm / 1024.0:N0} MiB, VmRSS {queried.Rss / 1024.0:N0} MiB"));
                if (next.Count > 0)
                {
                    var (sent, failed, elapsed) = await FeedAsync(server, next);
                    if (failed > 0)
                    {
                        throw new InvalidOperationException($"{failed} grilles refusées pendant la construction de la base :{Environment.NewLine}{server.RecentOutput}");
                    }

                    grids += sent;
                    built += elapsed;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"      + {next.Min()}-{next.Max()}: {sent:N0} grids through SubmitGrids ({Clients} streams × {Window} in flight) in {elapsed.TotalSeconds:N1} s ({sent / elapsed.TotalSeconds:N0} grids/s)"));
                }
            }
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Database built through the server's SubmitGrids streams: {grids:N0} simulated grids (3 % missing, yearly bilans included) in {built.TotalSeconds:N0} s of ingest ({grids / Math.Max(1, built.TotalSeconds):N0} grids/s)."));
        Print(rows);
        return rows;
    }

    /// <summary>
    /// The server accepts a grid only in a period a schema covers, and its embedded grids may begin after
    /// <paramref name="firstYear"/>: the benchmark then stands in for the Ministry's older grids with the earliest embedded
    /// grid declared again, as another version, for the years before it (a <c>Schemas:Directory</c> file, as an operator
    /// would deploy one). Returns the folder, or null when the embedded grids already cover those years.
    /// </summary>
    private static string? WriteEarlierGrid(string folder, int firstYear)
    {
        var earliest = SchemaCatalog.LoadEmbedded().All[0];
        if (earliest.ValidFrom.Year <= firstYear)
        {
            return null;
        }

        var grid = JsonNode.Parse(SchemaCatalog.EmbeddedFile(earliest.Version))!;
        var version = $"{firstYear}.0";
        grid["version"] = version;
        grid["valid_from"] = new DateOnly(firstYear, 1, 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        grid["valid_to"] = earliest.ValidFrom.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, $"grille-{version}.json"), grid.ToJsonString());
        Console.WriteLine($"  Grid {version} ({firstYear}-01-01 to {earliest.ValidFrom.AddDays(-1):yyyy-MM-dd}, the embedded {earliest.Version} declared again) in {folder}, Schemas:Directory.");
        return folder;
    }

    private static void Print(List<Row> rows)
    {
        static string M(long kib) => (kib / 1024.0).ToString("N0", CultureInfo.InvariantCulture) + " MiB";
        static string Ms(double first, double again) => string.Create(CultureInfo.InvariantCulture, $"{first:N0} / {again:N0} ms");
        Console.WriteLine($"| {"years",-17} | {"grids",7} | {"database + WAL",18} | {"start-up (CPU)",16} | {"VmHWM ready",11} | {"VmRSS ready",11} | {"national year 1st / 2nd",23} | {"series 1st / 2nd",18} | {"VmHWM after",11} | {"VmRSS after",11} |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.History,-17} | {r.Grids,7:N0} | {r.DatabaseMiB,6:N1} + {r.WalMiB,5:N1} MiB | {r.StartSeconds,5:N1} s ({r.StartCpuSeconds,4:N1} s) | {M(r.HwmReadyKiB),11} | {M(r.RssReadyKiB),11} | {Ms(r.Queries.YearMs, r.Queries.YearAgainMs),23} | {Ms(r.Queries.SeriesMs, r.Queries.SeriesAgainMs),18} | {M(r.HwmQueriedKiB),11} | {M(r.RssQueriedKiB),11} |"));
        }

        if (rows.Count > 1 && rows[^1].Years > 0)
        {
            var (first, last) = (rows[0], rows[^1]);
            double Slope(Func<Row, double> of) => (of(last) - of(first)) / last.Years;
            var rss = Slope(r => r.RssQueriedKiB / 1024.0);
            var hwm = Slope(r => r.HwmQueriedKiB / 1024.0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Per year of history (0 → {last.Years:N1}): VmRSS after queries {rss:N1} MiB, VmHWM {hwm:N1} MiB, database {Slope(r => r.DatabaseMiB + r.WalMiB):N1} MiB with its WAL, start-up {Slope(r => r.StartSeconds):N2} s ({Slope(r => r.StartCpuSeconds):N2} s of CPU)."));
            if (last.Years < 10)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Ten years, extrapolated along that line (not measured on the server): VmRSS after queries about {(first.RssQueriedKiB / 1024.0) + (10 * rss):N0} MiB, VmHWM about {(first.HwmQueriedKiB / 1024.0) + (10 * hwm):N0} MiB."));
            }
        }
    }

    /// <summary>Simulated grids of the given years, streamed to the server; the grids accepted, refused, and the time taken.</summary>
    private static async Task<(int Sent, int Failed, TimeSpan Elapsed)> FeedAsync(ChildServer server, IReadOnlyList<int> years)
    {
        var pool = new ConcurrentQueue<SubmitGridRequest>(await IngestBenchmark.SimulateAsync(server, years, rounds: 1, missing: 0.03));
        var clients = Enumerable.Range(0, Clients).Select(_ => (ILoadClient)new GridClient(Channels.Open(server.Address, server.ApiKey), pool)).ToList();
        try
        {
            var result = await LoadDriver.StreamingAsync(clients, TimeSpan.FromHours(2), Window);
            return (result.Completed, result.Failed, result.Elapsed);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>The national year (raw figures) and the national monthly series from <paramref name="firstYear"/> to the last year, each timed twice.</summary>
    private static async Task<Timings> QueryAsync(ChildServer server, int firstYear)
    {
        using var channel = server.CreateChannel();
        var schema = await new SchemaService.SchemaServiceClient(channel).GetSchemaAsync(new GetSchemaRequest { Period = LastYear.ToString(CultureInfo.InvariantCulture) });
        var indicator = schema.Sections.SelectMany(s => s.Indicators).First(i => i.Aggregation == Aggregation.Sum && i.HasTotal).Code;
        var aggregates = new AggregateService.AggregateServiceClient(channel);
        var national = new Area { Level = Protos.V1.AreaLevel.National };
        async Task<double> Year() => await Timed(async () => (await aggregates.ConsolidateAsync(
            new ConsolidateRequest { Area = national, Period = LastYear.ToString(CultureInfo.InvariantCulture), Disclosure = Disclosure.Raw })).Figures.Count);
        async Task<double> Series() => await Timed(async () => (await aggregates.GetSeriesAsync(new GetSeriesRequest
        {
            Area = national,
            Cell = indicator,
            From = $"{firstYear}-01",
            To = $"{LastYear}-12",
            Granularity = Granularity.Month,
            Disclosure = Disclosure.Raw,
        })).CalculateSize());
        var year = await Year();
        var yearAgain = await Year();
        var series = await Series();
        return new Timings(year, yearAgain, series, await Series());

        static async Task<double> Timed(Func<Task<int>> call)
        {
            var watch = Stopwatch.StartNew();
            GC.KeepAlive(await call());
            return watch.Elapsed.TotalMilliseconds;
        }
    }

    /// <summary>Peak and current resident set of a process, in KiB (Linux: /proc/&lt;pid&gt;/status; zeros elsewhere).</summary>
    private static (long Hwm, long Rss) Memory(int processId)
    {
        var path = $"/proc/{processId}/status";
        if (!File.Exists(path))
        {
            return (0, 0);
        }

        long Field(string[] lines, string name) =>
            lines.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal)) is { } line
                ? long.Parse(line[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)
                : 0;
        var status = File.ReadAllLines(path);
        return (Field(status, "VmHWM"), Field(status, "VmRSS"));
    }

    /// <summary>The SQLite file with its write-ahead log, as it lies on disk.</summary>
    private static (double Main, double Wal) DatabaseMiB(string database)
    {
        static double MiB(string path) => File.Exists(path) ? new FileInfo(path).Length / 1048576.0 : 0;
        return (MiB(database), MiB(database + "-wal"));
    }

    /// <summary>The posts as a registry CSV the server seeds an empty database with (ReferenceData:PostsCsvPath).</summary>
    private static void WritePosts(string path, IEnumerable<Data.PostRecord> posts)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("id,nom,code_departement,zone,etp,frequence,actif_du,actif_au");
        foreach (var p in posts)
        {
            var zone = p.Zone switch { Zone.Police => "police", Zone.Gendarmerie => "gendarmerie", _ => "mixte" };
            var frequency = p.Frequency switch { ReportingFrequency.Month => "mois", ReportingFrequency.Quarter => "trimestre", _ => "annee" };
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{p.Id},\"{p.Name.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{p.DepartmentCode},{zone},{p.Fte},{frequency},{p.ActiveFrom:yyyy-MM-dd},"));
        }
    }
}
