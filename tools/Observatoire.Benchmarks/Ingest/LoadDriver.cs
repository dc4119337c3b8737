using System.Diagnostics;

namespace Observatoire.Benchmarks.Ingest;

/// <summary>What a load run achieved: calls answered, time taken, latency of each answered call.</summary>
internal sealed record LoadResult(int Completed, int Failed, TimeSpan Elapsed, double[] LatenciesMs)
{
    public double PerSecond => Completed / Elapsed.TotalSeconds;

    public double Percentile(double p) => Percentiles.Of(LatenciesMs, p);
}

/// <summary>Nearest-rank percentiles, as every table of the benchmarks reports them.</summary>
internal static class Percentiles
{
    /// <summary>The value below which a share <paramref name="p"/> of the values lie (nearest rank); NaN when there is none.</summary>
    public static double Of(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>One client's way of making calls: <c>null</c> when it has nothing left to send.</summary>
internal interface ILoadClient : IAsyncDisposable
{
    /// <summary>One unary call; false when out of work; throws when the call failed.</summary>
    Task<bool> CallAsync(CancellationToken ct);

    /// <summary>Opens a stream for <see cref="SendAsync"/> and <see cref="ReceiveAsync"/>.</summary>
    void OpenStream(CancellationToken ct);

    /// <summary>Sends the next message on the stream; false when out of work.</summary>
    Task<bool> SendAsync(CancellationToken ct);

    /// <summary>Ends the sending half of the stream.</summary>
    Task CompleteAsync();

    /// <summary>Reads the next answer: null at the end of the stream, else whether it reports success.</summary>
    Task<bool?> ReceiveAsync(CancellationToken ct);
}

/// <summary>Drives clients concurrently for a bounded time and collects throughput and latency.</summary>
internal static class LoadDriver
{
    /// <summary>Each client makes one unary call at a time.</summary>
    public static async Task<LoadResult> UnaryAsync(IReadOnlyList<ILoadClient> clients, TimeSpan duration)
    {
        using var stop = new CancellationTokenSource(duration);
        var latencies = new List<double>[clients.Count];
        var failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select((client, i) => Task.Run(async () =>
        {
            var own = latencies[i] = [];
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    if (!await client.CallAsync(CancellationToken.None))
                    {
                        return;
                    }

                    own.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })));
        var elapsed = clock.Elapsed;
        var all = latencies.SelectMany(l => l).ToArray();
        return new LoadResult(all.Length, failed, elapsed, all);
    }

    /// <summary>Each client keeps one stream with up to <paramref name="window"/> messages in flight; answers come in order.</summary>
    public static async Task<LoadResult> StreamingAsync(IReadOnlyList<ILoadClient> clients, TimeSpan duration, int window)
    {
        using var stop = new CancellationTokenSource(duration);
        var latencies = new List<double>[clients.Count];
        var failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select((client, i) => Task.Run(async () =>
        {
            var own = latencies[i] = [];
            var sentAt = new System.Collections.Concurrent.ConcurrentQueue<long>();
            using var slots = new SemaphoreSlim(window, window);
            client.OpenStream(CancellationToken.None);
            var reader = Task.Run(async () =>
            {
                while (await client.ReceiveAsync(CancellationToken.None) is { } ok)
                {
                    sentAt.TryDequeue(out var started);
                    if (ok)
                    {
                        own.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }

                    slots.Release();
                }
            });

            while (!stop.IsCancellationRequested)
            {
                await slots.WaitAsync();
                sentAt.Enqueue(Stopwatch.GetTimestamp());
                if (!await client.SendAsync(CancellationToken.None))
                {
                    break;
                }
            }

            await client.CompleteAsync();
            await reader;
        })));
        var elapsed = clock.Elapsed;
        var all = latencies.SelectMany(l => l).ToArray();
        return new LoadResult(all.Length, failed, elapsed, all);
    }
}
