using Observatoire.Server.Reports;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>Charts and reports are drawn a bounded number at a time, whatever the number of callers.</summary>
public class RenderGateTests
{
    [Fact]
    public async Task No_more_drawings_run_at_once_than_the_gate_has_slots()
    {
        var gate = new RenderGate(2);
        var running = 0;
        var most = 0;
        using var release = new ManualResetEventSlim();

        var drawings = Enumerable.Range(0, 8).Select(_ => gate.RunAsync(
            () =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                release.Wait(TimeSpan.FromSeconds(30));
                Interlocked.Decrement(ref running);
                return now;
            },
            CancellationToken.None)).ToList();

        // Wait until two drawings run, give the others every chance to start too, then let everything finish.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Volatile.Read(ref running) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        await Task.Delay(200);
        Assert.Equal(0, gate.Free);
        Assert.Equal(2, Volatile.Read(ref running));
        release.Set();
        await Task.WhenAll(drawings);

        Assert.Equal(2, most);
        Assert.Equal(2, gate.Free);
    }

    [Fact]
    public async Task A_caller_waiting_for_a_slot_stops_waiting_when_its_call_is_cancelled()
    {
        var gate = new RenderGate(1);
        using var release = new ManualResetEventSlim();
        var busy = gate.RunAsync(() => release.Wait(TimeSpan.FromSeconds(30)), CancellationToken.None);
        while (gate.Free > 0)
        {
            await Task.Delay(10);
        }

        using var cancelled = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var drawn = false;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gate.RunAsync(() => drawn = true, cancelled.Token));

        release.Set();
        await busy;
        Assert.False(drawn);
        Assert.Equal(1, gate.Free);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
