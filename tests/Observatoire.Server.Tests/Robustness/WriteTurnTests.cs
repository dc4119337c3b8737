using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Observatoire.Data;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>
/// The server's short writes beside the grid writer (here a raw read's audit line) wait in line behind its batches on
/// SQLite, one writer at a time, instead of polling the file's lock; on PostgreSQL they do not wait for the batches.
/// </summary>
public class WriteTurnTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    /// <summary>True where the database has one writer at a time (SQLite).</summary>
    protected virtual bool WritesTakeTurns => true;

    [Fact]
    public async Task A_raw_reads_audit_line_takes_its_turn_with_the_grid_writer()
    {
        var aggregates = new AggregateService.AggregateServiceClient(server.CreateChannel());
        var writeLock = server.Services.GetRequiredService<GridStoreLock>();
        var target = $"Department:{TestGrids.MonthlyPost(3).DepartmentCode}";
        var read = new ConsolidateRequest
        {
            Area = new Area { Level = AreaLevel.Department, Code = TestGrids.MonthlyPost(3).DepartmentCode },
            Period = "2022-05",
            Disclosure = Disclosure.Raw,
        };

        // A first read, so that the one measured below is not slow for another reason (a first call, a table computed).
        await aggregates.ConsolidateAsync(read);
        var before = await AuditedAsync(target);

        // The writer's lock, as a batch of grids holds it for its transaction.
        await writeLock.Semaphore.WaitAsync();
        Task<ConsolidateResponse> call;
        try
        {
            call = aggregates.ConsolidateAsync(read).ResponseAsync;
            var first = await Task.WhenAny(call, Task.Delay(TimeSpan.FromMilliseconds(400)));
            if (WritesTakeTurns)
            {
                // The answer waits for its audit line, and the line for the batch: neither is written before the lock is let go.
                Assert.NotSame(call, first);
                Assert.Equal(before, await AuditedAsync(target));
            }
            else
            {
                Assert.Same(call, await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(30))));
            }
        }
        finally
        {
            writeLock.Semaphore.Release();
        }

        await call.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(before + 1, await AuditedAsync(target));

        // The turn was given back: the next read and the next grid go through.
        await aggregates.ConsolidateAsync(read).ResponseAsync.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(before + 2, await AuditedAsync(target));
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        var stored = await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(TestGrids.MonthlyPost(3).Id, "2022-05")));
        Assert.Equal(1, stored.Revision);
        Assert.Equal(1, writeLock.Semaphore.CurrentCount);
    }

    private Task<int> AuditedAsync(string target) =>
        server.QueryAsync(db => db.AuditEntries.AsNoTracking().CountAsync(e => e.Action == "lecture.brute" && e.Target == target));
}
