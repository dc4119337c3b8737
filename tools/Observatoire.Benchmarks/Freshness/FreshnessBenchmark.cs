using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Net.Client;
using Observatoire.Benchmarks.Ingest;
using Observatoire.Protos.V1;
using Observatoire.Soak;

namespace Observatoire.Benchmarks.Freshness;

/// <summary>
/// Freshness, from acknowledgement to visibility in a query (goal: the next query): the real server as child
/// processes on loopback, on a fresh SQLite file (one instance), then, when a PostgreSQL cluster is given, two
/// instances on a fresh database of their own (submitted through one, queried through the other, both ways, and
/// through the same one as a control; then both ways again with the commit notifications off, so that only the
/// check before each call keeps the other instance fresh). Each probe is a new grid (the first of its post and period); a few clients
/// keep submitting other grids meanwhile.
/// </summary>
internal static class FreshnessBenchmark
{
    /// <summary>The environment variable that may give the PostgreSQL cluster (a superuser's connection string).</summary>
    public const string PostgresVariable = "OBSERVATOIRE_BENCH_POSTGRES";

    private const int WarmupProbes = 20;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    /// <summary>Measures <paramref name="probes"/> grids per row, <paramref name="clients"/> clients submitting meanwhile, and prints the table.</summary>
    public static async Task RunAsync(int probes, int clients, string? postgres)
    {
        var directory = Directory.CreateTempSubdirectory("observatoire-fresh-").FullName;
        var apiKey = "obs_benchadmin00_" + Guid.NewGuid().ToString("N");
        var rows = new List<Row>();
        try
        {
            List<SubmitGridRequest> probeGrids;
            List<SubmitGridRequest> backgroundGrids;
            await using (var server = await StartAsync(Path.Combine(directory, "fresh.db"), apiKey, []))
            {
                // The newest simulated year gives the probes (each the first grid of its post and period); the
                // older years arrive in the background. The same grids serve every setup: each has a database of its own.
                var grids = await IngestBenchmark.SimulateAsync(server, Enumerable.Range(2016, 10), rounds: 1);
                var newest = grids.Max(g => Year(g.Grid.Period));
                probeGrids = [.. grids.Where(g => Year(g.Grid.Period) == newest).Select(Live)];
                backgroundGrids = [.. grids.Where(g => Year(g.Grid.Period) != newest)];
                if (probeGrids.Count < WarmupProbes + (5 * probes))
                {
                    throw new InvalidOperationException($"{probeGrids.Count} grilles sondes pour {WarmupProbes + (5 * probes)} demandées : réduisez --probes.");
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Freshness — {probes} probes per row (after about {WarmupProbes} unmeasured per setup, each checked first to show nothing before its grid), each a new grid of {newest} and a raw query of the post's figures for its period; {clients} clients submitting {backgroundGrids.Count:N0} older grids meanwhile"));
                rows.AddRange(await MeasureAsync([server], [("SQLite, one instance", 0, 0, false)], probes, clients, probeGrids, backgroundGrids, apiKey, null));
            }

            if (postgres is null)
            {
                rows.Add(new Row("PostgreSQL, two instances", 0, [], "skipped: no PostgreSQL given (--postgres or " + PostgresVariable + ")"));
            }
            else
            {
                await using var database = await BenchDatabase.CreateAsync(postgres);
                var settings = new Dictionary<string, string>
                {
                    ["Database:Provider"] = "PostgreSql",
                    ["ConnectionStrings:Observatoire"] = database.ConnectionString,
                };

                // One after the other: the first applies the migrations and seeds the registry.
                await using var a = await StartAsync(Path.Combine(directory, "unused-a.db"), apiKey, settings);
                await using var b = await StartAsync(Path.Combine(directory, "unused-b.db"), apiKey, settings);
                rows.AddRange(await MeasureAsync(
                    [a, b],
                    [
                        ("PostgreSQL, A → A (same instance)", 0, 0, false), ("PostgreSQL, A → B", 0, 1, false), ("PostgreSQL, B → A", 1, 0, false),
                        ("PostgreSQL, A → B, no push", 0, 1, true), ("PostgreSQL, B → A, no push", 1, 0, true),
                    ],
                    probes,
                    clients,
                    probeGrids,
                    backgroundGrids,
                    apiKey,
                    database.SilenceGridNotificationsAsync));
            }
        }
        finally
        {
            Print(rows);
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
    }

    private static Task<ChildServer> StartAsync(string databasePath, string apiKey, Dictionary<string, string> settings)
    {
        settings["Security:RateLimitPermits"] = "0";
        return ChildServer.StartAsync(ChildServer.LocateServerDll(), databasePath, apiKey, TimeSpan.FromSeconds(300), settings: settings);
    }

    /// <summary>
    /// One row per route (submitted through instance From, queried through instance To), under one background load;
    /// the routes marked NoPush come last and run after <paramref name="silence"/> has stopped the commit notifications.
    /// </summary>
    private static async Task<List<Row>> MeasureAsync(
        IReadOnlyList<ChildServer> servers,
        (string Name, int From, int To, bool NoPush)[] routes,
        int probes,
        int clients,
        IReadOnlyList<SubmitGridRequest> probeGrids,
        IReadOnlyList<SubmitGridRequest> backgroundGrids,
        string apiKey,
        Func<Task>? silence)
    {
        var channels = servers.Select(s => Channels.Open(s.Address, apiKey)).ToList();
        var rows = new List<Row>();
        try
        {
            var next = new Queue<SubmitGridRequest>(probeGrids);
            await using var background = new BackgroundSubmitters(
                [.. servers.Select(s => s.Address)], apiKey, new ConcurrentQueue<SubmitGridRequest>(backgroundGrids), clients);

            // Unmeasured: JIT, connection pools and the first pages on both sides of every route; each of these
            // probes also checks that its query shows nothing before the grid is sent, and shows it in the end.
            foreach (var (_, from, to, _) in routes)
            {
                var warm = Probe(channels, from, to);
                for (var i = 0; i < WarmupProbes / routes.Length; i++)
                {
                    if ((await warm.RunAsync(next.Dequeue(), control: true)).VisibleMs is null)
                    {
                        throw new InvalidOperationException($"Grille jamais vue : {warm.LastMiss}");
                    }
                }
            }

            var silenced = false;
            foreach (var (name, from, to, noPush) in routes)
            {
                if (noPush && !silenced)
                {
                    await silence!();
                    silenced = true;
                }

                var probe = Probe(channels, from, to);
                background.Restart();
                var results = new List<ProbeResult>();
                for (var i = 0; i < probes; i++)
                {
                    results.Add(await probe.RunAsync(next.Dequeue()));
                }

                var note = background.Failed > 0 ? $"{background.Failed} background submissions failed" : null;
                rows.Add(new Row(name, background.PerSecond, results, probe.LastMiss is { } miss ? $"never seen within {Patience.TotalSeconds:0} s, last: {miss}" : note));
            }

            return rows;
        }
        catch
        {
            foreach (var server in servers)
            {
                Console.Error.WriteLine($"Dernières lignes du serveur {server.ProcessId} :{Environment.NewLine}{server.RecentOutput}");
            }

            throw;
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    private static FreshnessProbe Probe(IReadOnlyList<GrpcChannel> channels, int from, int to) =>
        new(new GridService.GridServiceClient(channels[from]), new AggregateService.AggregateServiceClient(channels[to]), Patience);

    /// <summary>A probe is received now, as a live submission is (the simulation dates its grids in the past).</summary>
    private static SubmitGridRequest Live(SubmitGridRequest grid)
    {
        var live = grid.Clone();
        live.ReceivedAt = null;
        return live;
    }

    private static string Year(string period) => period[..4];

    private static void Print(List<Row> rows)
    {
        Console.WriteLine();
        Console.WriteLine($"{"setup",-36} {"grids/s",8} {"queries",8} {"1st fresh",10} {"max q.",7} {"ack p50/p99",17} {"ack→visible p50/p99",21} {"1st query p50/p99",19}");
        foreach (var row in rows)
        {
            if (row.Results.Count == 0)
            {
                Console.WriteLine($"{row.Name,-36} {row.Note}");
                continue;
            }

            var visible = row.Results.Where(r => r.VisibleMs is not null).Select(r => r.VisibleMs!.Value).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Name,-36} {row.BackgroundPerSecond,8:N0} {row.Results.Count,8} {row.Results.Count(r => r.FirstFresh) / (double)row.Results.Count,10:P1} {row.Results.Max(r => r.Queries),7} {Pair(row.Results.Select(r => r.AckMs).ToList()),17} {Pair(visible),21} {Pair(row.Results.Select(r => r.FirstQueryMs).ToList()),19}"));
            if (row.Note is { } note)
            {
                Console.WriteLine($"  {note}");
            }
        }
    }

    private static string Pair(IReadOnlyCollection<double> values) =>
        string.Create(CultureInfo.InvariantCulture, $"{Percentiles.Of(values, 0.5):N2} / {Percentiles.Of(values, 0.99):N2} ms");

    private sealed record Row(string Name, double BackgroundPerSecond, IReadOnlyList<ProbeResult> Results, string? Note);
}
