using Grpc.Core;
using System.Collections.Concurrent;
using System.Globalization;
using Google.Protobuf;
using Observatoire.Protos.V1;
using Observatoire.Simulation;
using Observatoire.Soak;

namespace Observatoire.Benchmarks.Ingest;

/// <summary>
/// Ingest against the transport: the real server as a child process on loopback and a fresh SQLite file, fed
/// distinct valid grids (simulated from the schema it serves) by 1, 16 and 64 clients, unary and streaming; each
/// scenario next to a gRPC echo of the same payload size with the same channel settings, measured in the same run.
/// </summary>
internal static class IngestBenchmark
{
    private static readonly int[] ClientCounts = [1, 16, 64];

    /// <summary>The issue's goal: ingest at this share of the echo's rate at 64 clients.</summary>
    private const double Goal = 0.3;

    /// <summary>Runs every scenario (or only the in-process validation) and prints its rows.</summary>
    public static async Task RunAsync(TimeSpan duration, int window, bool validationOnly = false)
    {
        var directory = Directory.CreateTempSubdirectory("observatoire-bench-").FullName;
        var apiKey = "obs_benchadmin00_" + Guid.NewGuid().ToString("N");
        try
        {
            await using var server = await ChildServer.StartAsync(
                ChildServer.LocateServerDll(),
                Path.Combine(directory, "bench.db"),
                apiKey,
                TimeSpan.FromSeconds(300),
                settings: new Dictionary<string, string> { ["Security:RateLimitPermits"] = "0", ["Security:MaxOpenStreamsPerKey"] = "0" });
            await using var echo = await EchoHost.StartAsync();

            var grids = await SimulateAsync(server, Enumerable.Range(2016, 10), rounds: 5);
            using (var registryChannel = server.CreateChannel())
            {
                ValidationBenchmark.Run(grids, (await new RegistryService.RegistryServiceClient(registryChannel).ListPostsAsync(new ListPostsRequest())).Posts);
            }

            if (validationOnly)
            {
                return;
            }

            var payload = ByteString.CopyFrom(new byte[(int)grids.Average(g => g.CalculateSize())]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Ingest — server pid {server.ProcessId} on {server.Address}, {grids.Count:N0} distinct simulated grids of {payload.Length:N0} bytes on average, {duration.TotalSeconds:0} s per scenario, streaming window {window}, {Environment.ProcessorCount} cores"));

            // Warm both sides (JIT, connection pools, SQLite pages) before anything is timed, the server until its
            // background compiler has settled: a server that has been running has recompiled its hot methods, and a
            // freshly started one spends a fifth of its CPU doing so for a minute or more of load.
            var pool = new ConcurrentQueue<SubmitGridRequest>(grids);
            var gauge = new ServerGauge(server.ProcessId, server.ManagementAddress);
            await WarmUpAsync(server, gauge, pool, apiKey, window);
            await RunAsync(4, false, TimeSpan.FromSeconds(2), window, () => new EchoClient(Channels.Open(echo.Address, apiKey), payload, int.MaxValue));

            Console.WriteLine();
            Console.WriteLine($"{"scenario",-28} {"echo /s",10} {"ingest /s",10} {"ratio",7} {"echo p50",9} {"p50",9} {"p99",9} {"errors",7} {"CPU/grid",9} {"JIT",7} {"grids/tx",9} {"tx time",9} {"KiB/grid",9} {"echo CPU",9} {"clients",9} {"budget",9}");
            var scenariosLeft = ClientCounts.Length * 2;
            foreach (var streaming in new[] { false, true })
            {
                foreach (var clients in ClientCounts)
                {
                    var mine = Take(pool, pool.Count / scenariosLeft--);
                    var echoCpu = ProcessCpu();
                    var baseline = await RunAsync(clients, streaming, duration, window, () => new EchoClient(Channels.Open(echo.Address, apiKey), payload, int.MaxValue));
                    echoCpu = ProcessCpu() - echoCpu;
                    var before = await gauge.ReadAsync();
                    var clientCpu = ProcessCpu();
                    LoadResult ingest;
                    try
                    {
                        ingest = await RunAsync(clients, streaming, duration, window, () => new GridClient(Channels.Open(server.Address, apiKey), mine));
                    }
                    catch
                    {
                        // The server's own account of the failure (its log) is what the reader needs next.
                        Console.Error.WriteLine($"Dernières lignes du serveur :{Environment.NewLine}{server.RecentOutput}");
                        throw;
                    }

                    clientCpu = ProcessCpu() - clientCpu;
                    var spent = await gauge.ReadAsync() - before;
                    var serverMs = spent.CpuSeconds * 1000 / Math.Max(1, ingest.Completed);
                    var clientMs = clientCpu.TotalMilliseconds / Math.Max(1, ingest.Completed);

                    // The server's CPU a grid may cost for the goal (30 % of the echo) on these cores, which the clients share.
                    var budgetMs = (Environment.ProcessorCount * 1000 / (Goal * baseline.PerSecond)) - clientMs;
                    var name = $"{(streaming ? "streaming" : "unary")}, {clients} client{(clients > 1 ? "s" : "")}";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name,-28} {baseline.PerSecond,10:N0} {ingest.PerSecond,10:N0} {ingest.PerSecond / baseline.PerSecond,6:P1} {baseline.Percentile(0.5),7:N2}ms {ingest.Percentile(0.5),7:N2}ms {ingest.Percentile(0.99),7:N2}ms {ingest.Failed,7} {serverMs,7:N2}ms {spent.JitSeconds / Math.Max(1e-9, spent.CpuSeconds),7:P0} {spent.BatchedGrids / Math.Max(1, spent.Batches),9:N1} {spent.CommitSeconds * 1000 / Math.Max(1, spent.Batches),7:N2}ms {spent.WrittenBytes / 1024 / Math.Max(1, ingest.Completed),9:N1} {echoCpu.TotalMilliseconds / Math.Max(1, baseline.Completed),7:N3}ms {clientMs,7:N3}ms {budgetMs,7:N3}ms"));
                    if (mine.IsEmpty)
                    {
                        Console.WriteLine("  (pool of grids exhausted before the end: the rate is over the grids sent)");
                    }

                    Restore(pool, mine);
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Server working set at the end: {server.WorkingSetBytes / 1048576.0:N0} MiB."));
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
    }

    private static async Task<LoadResult> RunAsync(int clients, bool streaming, TimeSpan duration, int window, Func<ILoadClient> create)
    {
        var all = Enumerable.Range(0, clients).Select(_ => create()).ToList();
        try
        {
            return streaming ? await LoadDriver.StreamingAsync(all, duration, window) : await LoadDriver.UnaryAsync(all, duration);
        }
        finally
        {
            foreach (var client in all)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>This process's CPU time: the echo's server and clients, or the ingest's clients.</summary>
    private static TimeSpan ProcessCpu()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>
    /// Submits grids (alternately unary and streaming, 16 clients, 2 s at a time) until the server's background compiler
    /// spent under 2 % of the last round, at most 40 s.
    /// </summary>
    private static async Task WarmUpAsync(ChildServer server, ServerGauge gauge, ConcurrentQueue<SubmitGridRequest> pool, string apiKey, int window)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var sent = 0;
        double jit;
        var round = 0;
        do
        {
            var before = gauge.JitSeconds();
            var chunk = Take(pool, 12_000);
            var run = await RunAsync(16, round++ % 2 == 1, TimeSpan.FromSeconds(2), window, () => new GridClient(Channels.Open(server.Address, apiKey), chunk));
            Restore(pool, chunk);
            sent += run.Completed;
            jit = (gauge.JitSeconds() - before) / run.Elapsed.TotalSeconds;
        }
        while ((jit > 0.02 || round < 2) && started.Elapsed < TimeSpan.FromSeconds(40));

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Warm-up: {started.Elapsed.TotalSeconds:0} s, {sent:N0} grids; the server's background compiler used {jit:P1} of a core in its last round."));
    }

    /// <summary>Gives the grids a scenario did not send back to the pool.</summary>
    private static void Restore(ConcurrentQueue<SubmitGridRequest> pool, ConcurrentQueue<SubmitGridRequest> left)
    {
        while (left.TryDequeue(out var request))
        {
            pool.Enqueue(request);
        }
    }

    private static ConcurrentQueue<SubmitGridRequest> Take(ConcurrentQueue<SubmitGridRequest> pool, int count)
    {
        var taken = new ConcurrentQueue<SubmitGridRequest>();
        for (var i = 0; i < count && pool.TryDequeue(out var request); i++)
        {
            taken.Enqueue(request);
        }

        return taken;
    }

    /// <summary>
    /// Distinct valid grids: the registry's simulated years, then, for each further round, the same years again with
    /// other seeds (new content, hence new revisions), shuffled so that concurrent clients mostly write different posts;
    /// <paramref name="missing"/> of the expected grids are never sent.
    /// </summary>
    internal static async Task<List<SubmitGridRequest>> SimulateAsync(ChildServer server, IEnumerable<int> years, int rounds, double missing = 0)
    {
        using var channel = server.CreateChannel();
        var registry = new RegistryService.RegistryServiceClient(channel);
        var posts = (await registry.ListPostsAsync(new ListPostsRequest())).Posts;
        var departments = (await registry.ListDepartmentsAsync(new ListDepartmentsRequest())).Departments;
        var schemas = new SchemaService.SchemaServiceClient(channel);
        var latest = new SimulationSchema(await schemas.GetSchemaAsync(new GetSchemaRequest()));
        var byYear = new Dictionary<int, SimulationSchema>();
        var now = DateTimeOffset.UtcNow;
        var grids = new List<SubmitGridRequest>();
        foreach (var round in Enumerable.Range(0, rounds))
        {
            foreach (var year in years)
            {
                // Each year on the grid the server serves for it (the latest where none covers it: no post reports then).
                if (!byYear.TryGetValue(year, out var schema))
                {
                    byYear[year] = schema = await CoveringAsync(schemas, year) ?? latest;
                }

                var options = new SimulationOptions { Year = year, Now = now, Seed = (round * 10_000) + year, Outliers = 0, Missing = missing };
                grids.AddRange(new GridSimulator(posts, departments, schema, options).Run().Grids
                    .Where(g => g.IsSent)
                    .Select(g => g.ToRequest("benchmark")));
            }
        }

        var random = new Random(20261202);
        return [.. grids.DistinctBy(g => g.SubmissionId).OrderBy(_ => random.Next())];
    }

    private static async Task<SimulationSchema?> CoveringAsync(SchemaService.SchemaServiceClient schemas, int year)
    {
        try
        {
            return new SimulationSchema(await schemas.GetSchemaAsync(new GetSchemaRequest { Period = year.ToString(CultureInfo.InvariantCulture) }));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }
}
