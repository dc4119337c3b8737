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
                settings: new Dictionary<string, string> { ["Security:RateLimitPermits"] = "0" });
            await using var echo = await EchoHost.StartAsync();

            var grids = await SimulateAsync(server);
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

            // Warm both sides (JIT, connection pools, SQLite pages) before anything is timed.
            var pool = new ConcurrentQueue<SubmitGridRequest>(grids);
            await RunAsync(4, false, TimeSpan.FromSeconds(2), window, () => new GridClient(Channels.Open(server.Address, apiKey), Take(pool, 100)));
            await RunAsync(4, false, TimeSpan.FromSeconds(2), window, () => new EchoClient(Channels.Open(echo.Address, apiKey), payload, int.MaxValue));

            Console.WriteLine();
            var gauge = new ServerGauge(server.ProcessId, server.ManagementAddress);
            Console.WriteLine($"{"scenario",-28} {"echo /s",10} {"ingest /s",10} {"ratio",7} {"echo p50",9} {"p50",9} {"p99",9} {"errors",7} {"CPU/grid",9} {"grids/tx",9} {"tx time",9} {"KiB/grid",9}");
            var share = pool.Count / (ClientCounts.Length * 2);
            foreach (var streaming in new[] { false, true })
            {
                foreach (var clients in ClientCounts)
                {
                    var mine = Take(pool, share);
                    var baseline = await RunAsync(clients, streaming, duration, window, () => new EchoClient(Channels.Open(echo.Address, apiKey), payload, int.MaxValue));
                    var before = await gauge.ReadAsync();
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

                    var spent = await gauge.ReadAsync() - before;
                    var name = $"{(streaming ? "streaming" : "unary")}, {clients} client{(clients > 1 ? "s" : "")}";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name,-28} {baseline.PerSecond,10:N0} {ingest.PerSecond,10:N0} {ingest.PerSecond / baseline.PerSecond,6:P1} {baseline.Percentile(0.5),7:N2}ms {ingest.Percentile(0.5),7:N2}ms {ingest.Percentile(0.99),7:N2}ms {ingest.Failed,7} {spent.CpuSeconds * 1000 / Math.Max(1, ingest.Completed),7:N2}ms {spent.BatchedGrids / Math.Max(1, spent.Batches),9:N1} {spent.CommitSeconds * 1000 / Math.Max(1, spent.Batches),7:N2}ms {spent.WrittenBytes / 1024 / Math.Max(1, ingest.Completed),9:N1}"));
                    if (mine.IsEmpty)
                    {
                        Console.WriteLine("  (pool of grids exhausted before the end: the rate is over the grids sent)");
                    }
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
    /// Distinct valid grids: the registry's simulated years, then the same years again with other seeds (new
    /// content, hence new revisions), shuffled so that concurrent clients mostly write different posts.
    /// </summary>
    private static async Task<List<SubmitGridRequest>> SimulateAsync(ChildServer server)
    {
        using var channel = server.CreateChannel();
        var registry = new RegistryService.RegistryServiceClient(channel);
        var posts = (await registry.ListPostsAsync(new ListPostsRequest())).Posts;
        var departments = (await registry.ListDepartmentsAsync(new ListDepartmentsRequest())).Departments;
        var schema = new SimulationSchema(await new SchemaService.SchemaServiceClient(channel).GetSchemaAsync(new GetSchemaRequest()));
        var now = DateTimeOffset.UtcNow;
        var grids = new List<SubmitGridRequest>();
        foreach (var round in Enumerable.Range(0, 3))
        {
            foreach (var year in Enumerable.Range(2016, 10))
            {
                var options = new SimulationOptions { Year = year, Now = now, Seed = (round * 10_000) + year, Outliers = 0, Missing = 0 };
                grids.AddRange(new GridSimulator(posts, departments, schema, options).Run().Grids
                    .Where(g => g.IsSent)
                    .Select(g => g.ToRequest("benchmark")));
            }
        }

        var random = new Random(20261202);
        return [.. grids.DistinctBy(g => g.SubmissionId).OrderBy(_ => random.Next())];
    }
}
