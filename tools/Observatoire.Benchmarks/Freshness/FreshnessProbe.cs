using System.Diagnostics;
using Grpc.Core;
using Observatoire.Protos.V1;

namespace Observatoire.Benchmarks.Freshness;

/// <summary>One probe: how long the acknowledgement took, whether the first query after it saw the grid, and when one did.</summary>
/// <param name="AckMs">From sending the grid to its acknowledgement.</param>
/// <param name="FirstQueryMs">The latency of the first query sent once the acknowledgement arrived.</param>
/// <param name="Queries">The queries made until one saw the grid (or until the probe gave up).</param>
/// <param name="VisibleMs">From the acknowledgement to the answer of the first query that saw the grid; null when none did in time.</param>
internal sealed record ProbeResult(double AckMs, double FirstQueryMs, int Queries, double? VisibleMs)
{
    /// <summary>The first query after the acknowledgement saw the grid (the goal).</summary>
    public bool FirstFresh => Queries == 1 && VisibleMs is not null;
}

/// <summary>
/// Submits a grid through one instance and, the moment it is acknowledged, asks another (or the same) instance for
/// the post's own raw figures of that period, again and again until they show the grid. A probe grid is the first of
/// its post and period, so before it nothing is there: the answer shows it when the provenance counts a grid received
/// when the acknowledgement says and the witness cell (a top-level cell of the grid itself, the largest) has its value.
/// </summary>
internal sealed class FreshnessProbe(GridService.GridServiceClient submit, AggregateService.AggregateServiceClient query, TimeSpan patience)
{
    /// <summary>The answer of the last query of a probe that never saw its grid, for the report.</summary>
    public string? LastMiss { get; private set; }

    /// <summary>
    /// Measures one grid; with <paramref name="control"/> (the unmeasured warm-up), first checks that the query does
    /// not show it before it is sent, so that a fresh answer means something.
    /// </summary>
    public async Task<ProbeResult> RunAsync(SubmitGridRequest request, bool control = false)
    {
        var (cell, value) = Witness(request.Grid);
        var ask = new ConsolidateRequest
        {
            Area = new Area { Level = AreaLevel.Post, Code = request.Grid.PostId },
            Period = request.Grid.Period,
            Cells = { cell },
            Disclosure = Disclosure.Raw,
        };
        if (control && (await query.ConsolidateAsync(ask)).Provenance.GridsUsed != 0)
        {
            throw new InvalidOperationException($"{request.Grid.PostId} {request.Grid.Period} a déjà une grille : la sonde ne mesurerait rien.");
        }

        var sent = Stopwatch.GetTimestamp();
        var ack = await submit.SubmitGridAsync(request);
        var acknowledged = Stopwatch.GetTimestamp();
        if (ack.Replayed)
        {
            throw new InvalidOperationException($"grille sonde déjà reçue : {request.SubmissionId}");
        }

        var ackMs = Stopwatch.GetElapsedTime(sent, acknowledged).TotalMilliseconds;
        var firstQueryMs = 0.0;
        for (var queries = 1; ; queries++)
        {
            var asked = Stopwatch.GetTimestamp();
            var answer = await query.ConsolidateAsync(ask);
            var answered = Stopwatch.GetTimestamp();
            if (queries == 1)
            {
                firstQueryMs = Stopwatch.GetElapsedTime(asked, answered).TotalMilliseconds;
            }

            if (Shows(answer, cell, value, ack.ReceivedAt))
            {
                return new ProbeResult(ackMs, firstQueryMs, queries, Stopwatch.GetElapsedTime(acknowledged, answered).TotalMilliseconds);
            }

            if (Stopwatch.GetElapsedTime(acknowledged) > patience)
            {
                LastMiss = $"{request.Grid.PostId} {request.Grid.Period} {cell}={value}, reçue {ack.ReceivedAt}: {answer.Provenance} {answer.Figures.FirstOrDefault()}";
                return new ProbeResult(ackMs, firstQueryMs, queries, null);
            }
        }
    }

    /// <summary>The grid's largest top-level cell: a cell of the schema the grid was filled against, never a known code.</summary>
    private static (string Cell, long Value) Witness(Grid grid)
    {
        var top = grid.Values.Where(v => !v.Key.Contains('[', StringComparison.Ordinal)).ToList();
        var best = (top.Count > 0 ? top : [.. grid.Values]).OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal).First();
        return (best.Key, best.Value);
    }

    private static bool Shows(ConsolidateResponse answer, string cell, long value, Google.Protobuf.WellKnownTypes.Timestamp receivedAt) =>
        answer.Provenance is { GridsUsed: > 0, DataAsOf: { } asOf }

        // PostgreSQL keeps microseconds, .NET ticks of 100 ns: the instance that read the grid back may round it.
        && Math.Abs((asOf.ToDateTime() - receivedAt.ToDateTime()).TotalMilliseconds) < 1
        && answer.Figures.FirstOrDefault(f => f.Cell == cell) is { HasValue: true } figure
        && figure.Value == value;
}

/// <summary>Grids arriving meanwhile: a few clients submitting distinct grids, one unary call at a time, spread over the instances.</summary>
internal sealed class BackgroundSubmitters : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Ingest.GridClient> _clients;
    private readonly Task[] _loops;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _accepted;
    private int _failed;

    public BackgroundSubmitters(IReadOnlyList<Uri> addresses, string apiKey, System.Collections.Concurrent.ConcurrentQueue<SubmitGridRequest> pool, int clients)
    {
        _clients = [.. Enumerable.Range(0, clients).Select(i => new Ingest.GridClient(Ingest.Channels.Open(addresses[i % addresses.Count], apiKey), pool))];
        _loops = [.. _clients.Select(client => Task.Run(() => LoopAsync(client)))];
    }

    /// <summary>Grids acknowledged per second since the start (or the last <see cref="Restart"/>).</summary>
    public double PerSecond => Volatile.Read(ref _accepted) / _clock.Elapsed.TotalSeconds;

    /// <summary>Background submissions that failed (none expected).</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Starts counting the rate again (one table row each).</summary>
    public void Restart()
    {
        Interlocked.Exchange(ref _accepted, 0);
        _clock.Restart();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        _stop.Dispose();
    }

    private async Task LoopAsync(Ingest.GridClient client)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (!await client.CallAsync(_stop.Token))
                {
                    return;
                }

                Interlocked.Increment(ref _accepted);
            }
            catch (Exception e) when (e is RpcException or OperationCanceledException && _stop.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException)
            {
                Interlocked.Increment(ref _failed);
            }
        }
    }
}
