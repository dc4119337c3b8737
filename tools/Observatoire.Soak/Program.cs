using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Observatoire.Simulation;
using Observatoire.Protos.V1;
using Observatoire.Soak;

// Soak test: the real server as a child process on 127.0.0.1 and a temporary database, driven by
// several clients for a bounded time with a mix of submissions, queries and rejected grids. It reports
// every unexpected error (there must be none), latency percentiles per call and the server's memory
// over time (it must stay flat once the working set is warm).
//
//   dotnet run -c Release --project tools/Observatoire.Soak -- [--duration 120] [--clients 4] [--sample 10]
var culture = CultureInfo.InvariantCulture;
var duration = TimeSpan.FromSeconds(Option("--duration", 120, 5, 3_600));
var clients = Option("--clients", 4, 1, 64);
var sample = TimeSpan.FromSeconds(Option("--sample", 10, 1, 600));

var directory = Directory.CreateTempSubdirectory("observatoire-soak-").FullName;
await using var server = await ChildServer.StartAsync(
    ChildServer.LocateServerDll(), Path.Combine(directory, "soak.db"), "obs_soakadmin000_" + Guid.NewGuid().ToString("N"), TimeSpan.FromSeconds(90));
Console.WriteLine($"Serveur {server.Address} (pid {server.ProcessId}), {clients} clients pendant {duration.TotalSeconds:0} s.");

using var channel = server.CreateChannel();
var registry = new RegistryService.RegistryServiceClient(channel);
var posts = (await registry.ListPostsAsync(new ListPostsRequest())).Posts;
var departments = (await registry.ListDepartmentsAsync(new ListDepartmentsRequest())).Departments;

// Ten years of simulated grids: enough distinct ones that every submission of the run is new.
var schemas = new SchemaService.SchemaServiceClient(channel);
var simulationSchema = new SimulationSchema(await schemas.GetSchemaAsync(new GetSchemaRequest()));
var grids = new ConcurrentQueue<SubmitGridRequest>(Enumerable.Range(2016, 10)
    .SelectMany(year => new GridSimulator(posts, departments, simulationSchema, new SimulationOptions { Year = year, Now = DateTimeOffset.UtcNow, Seed = year, Outliers = 0 })
        .Run().Grids.Where(g => g.IsSent).Select(g => g.ToRequest("soak"))));
Console.WriteLine($"{grids.Count} grilles simulées à envoyer.");

var latencies = new ConcurrentDictionary<string, ConcurrentBag<double>>();
var errors = new ConcurrentDictionary<string, int>();
var samples = new List<(TimeSpan At, long Bytes, long Calls)>();
var calls = 0L;
var clock = Stopwatch.StartNew();
using var stop = new CancellationTokenSource(duration);

var sampler = Task.Run(async () =>
{
    while (true)
    {
        samples.Add((clock.Elapsed, server.WorkingSetBytes, Interlocked.Read(ref calls)));
        try
        {
            await Task.Delay(sample, stop.Token);
        }
        catch (OperationCanceledException)
        {
            samples.Add((clock.Elapsed, server.WorkingSetBytes, Interlocked.Read(ref calls)));
            return;
        }
    }
});

var workers = Enumerable.Range(0, clients).Select(id => Task.Run(async () =>
{
    using var own = server.CreateChannel();
    var gridClient = new GridService.GridServiceClient(own);
    var aggregates = new AggregateService.AggregateServiceClient(own);
    var random = new Random(id);
    var national = new Area { Level = AreaLevel.National };
    while (!stop.IsCancellationRequested)
    {
        var pick = random.Next(100);
        var year = 2016 + random.Next(10);
        var (name, call) = pick switch
        {
            < 55 => ("SubmitGrid", (Func<Task>)(async () =>
            {
                if (grids.TryDequeue(out var request))
                {
                    await gridClient.SubmitGridAsync(request);
                }
            })),
            < 65 => ("ValidateGrid (refusée)", async () =>
            {
                var bad = new Grid { PostId = posts[random.Next(posts.Count)].Id, Period = $"{year}-13", SchemaVersion = "2025.1", Comment = "rappeler le 06 12 34 56 78" };
                bad.Values["entretiens"] = -1;
                var answer = await gridClient.ValidateGridAsync(new ValidateGridRequest { Grid = bad });
                if (answer.Valid)
                {
                    throw new InvalidOperationException("grille invalide acceptée");
                }
            }),
            < 80 => ("Consolidate", async () => await aggregates.ConsolidateAsync(new ConsolidateRequest
            {
                Area = random.Next(2) == 0 ? national : new Area { Level = AreaLevel.Department, Code = departments[random.Next(departments.Count)].Code },
                Period = random.Next(2) == 0 ? $"{year}" : $"{year}-T{1 + random.Next(4)}",
            })),
            < 90 => ("GetSeries", async () => await aggregates.GetSeriesAsync(new GetSeriesRequest
            {
                Area = national, Cell = "personnes_nouvelles", From = $"{year}-01", To = $"{year + 1}-12", Granularity = Granularity.Month,
            })),
            _ => ("CompareAreas", async () => await aggregates.CompareAreasAsync(new CompareAreasRequest
            {
                Area = national, Cell = "entretiens", Period = $"{year}",
            })),
        };

        var watch = Stopwatch.StartNew();
        try
        {
            await call();
        }
        catch (Exception e) when (!stop.IsCancellationRequested || e is not RpcException { StatusCode: StatusCode.Cancelled })
        {
            var key = $"{name}: {(e is RpcException rpc ? rpc.StatusCode.ToString() : e.GetType().Name)}";
            errors.AddOrUpdate(key, 1, (_, n) => n + 1);
        }

        latencies.GetOrAdd(name, _ => []).Add(watch.Elapsed.TotalMilliseconds);
        Interlocked.Increment(ref calls);
    }
})).ToList();

await Task.WhenAll(workers);
await sampler;
var serverAlive = !server.HasExited;

Console.WriteLine();
Console.WriteLine($"| appel | nombre | erreurs | p50 ms | p95 ms | p99 ms | max ms |");
Console.WriteLine($"| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var (name, bag) in latencies.OrderBy(l => l.Key, StringComparer.Ordinal))
{
    var sorted = bag.Order().ToArray();
    var failed = errors.Where(e => e.Key.StartsWith(name + ":", StringComparison.Ordinal)).Sum(e => e.Value);
    Console.WriteLine(string.Create(culture, $"| {name} | {sorted.Length} | {failed} | {Percentile(sorted, 0.50):0.0} | {Percentile(sorted, 0.95):0.0} | {Percentile(sorted, 0.99):0.0} | {sorted[^1]:0.0} |"));
}

Console.WriteLine();
Console.WriteLine("| temps s | mémoire du serveur Mo | appels |");
Console.WriteLine("| ---: | ---: | ---: |");
foreach (var (at, bytes, count) in samples)
{
    Console.WriteLine(string.Create(culture, $"| {at.TotalSeconds:0} | {bytes / 1048576.0:0.0} | {count} |"));
}

// Flat memory: the second half of the run may not grow past the first half's peak by more than 10 %.
var half = samples.Where(s => s.At >= duration / 2).Select(s => s.Bytes).DefaultIfEmpty(0).Max();
var firstHalf = samples.Where(s => s.At < duration / 2).Select(s => s.Bytes).DefaultIfEmpty(0).Max();
var growth = firstHalf == 0 ? 0 : (half - firstHalf) * 100.0 / firstHalf;
var totalErrors = errors.Values.Sum();
Console.WriteLine();
Console.WriteLine(string.Create(culture, $"Erreurs : {totalErrors}. Appels : {calls} en {clock.Elapsed.TotalSeconds:0} s. Mémoire, seconde moitié contre première : {growth:+0.0;-0.0} %. Serveur {(serverAlive ? "vivant" : "ARRÊTÉ")}."));
foreach (var (key, count) in errors)
{
    Console.WriteLine($"  {key} × {count}");
}

await server.DisposeAsync();
try
{
    Directory.Delete(directory, recursive: true);
}
catch (IOException)
{
    // A temp folder left behind is harmless.
}

return totalErrors == 0 && serverAlive && growth < 10 ? 0 : 1;

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

int Option(string name, int fallback, int min, int max)
{
    var index = Array.IndexOf(args, name);
    if (index < 0)
    {
        return fallback;
    }

    return index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
        ? value
        : throw new ArgumentException($"{name} attend un entier de {min} à {max}.");
}
