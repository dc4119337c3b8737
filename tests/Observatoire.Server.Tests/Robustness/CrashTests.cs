using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Observatoire.Protos.V1;
using Observatoire.Soak;
using ReportingFrequency = Observatoire.Core.Registry.ReportingFrequency;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>
/// The real server as a child process, killed with SIGKILL in the middle of a stream of grids, then
/// restarted on the same file: every grid it acknowledged is there exactly once, and the file is sound.
/// </summary>
[Collection(ChildServerCollection.Name)]
public sealed class CrashTests : IDisposable
{
    private const string ApiKey = "obs_crashtest000_crash-test-bootstrap-admin-key-0123456789";
    private const int KillAfter = 60;

    private readonly string _directory = Directory.CreateTempSubdirectory("observatoire-crash-").FullName;

    [Fact]
    public async Task Every_grid_acknowledged_before_a_kill_is_stored_once_after_the_restart()
    {
        var database = Path.Combine(_directory, "crash.db");
        var serverDll = ChildServer.LocateServerDll();
        var requests = TestGrids.OpenPosts(ReportingFrequency.Month).Take(40)
            .SelectMany(post => Enumerable.Range(1, 12).Select(month => TestGrids.Submission(TestGrids.Valid(post.Id, $"2024-{month:D2}"), client: "crash")))
            .ToList();
        var acknowledged = new ConcurrentDictionary<string, SubmitGridResponse>();

        await using (var server = await ChildServer.StartAsync(serverDll, database, ApiKey, TimeSpan.FromSeconds(180)))
        {
            using var channel = server.CreateChannel();
            using var call = new GridService.GridServiceClient(channel).SubmitGrids();
            var reader = Task.Run(async () =>
            {
                try
                {
                    await foreach (var result in call.ResponseStream.ReadAllAsync())
                    {
                        Assert.Equal("OK", result.Status);
                        acknowledged[result.SubmissionId] = result.Response;
                        if (acknowledged.Count == KillAfter)
                        {
                            await server.KillAsync();
                        }
                    }
                }
                catch (RpcException)
                {
                    // The connection died with the server.
                }
            });

            try
            {
                foreach (var request in requests)
                {
                    await call.RequestStream.WriteAsync(request);
                }

                await call.RequestStream.CompleteAsync();
            }
            catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
            {
                // Writing into a killed server fails: that is the point.
            }

            await reader;
            Assert.True(server.HasExited, "the server was not killed");
        }

        Assert.InRange(acknowledged.Count, KillAfter, requests.Count - 1);

        await using (var restarted = await ChildServer.StartAsync(serverDll, database, ApiKey, TimeSpan.FromSeconds(180)))
        {
            var grids = new GridService.GridServiceClient(restarted.CreateChannel());
            foreach (var (submissionId, answer) in acknowledged)
            {
                var revisions = await grids.ListRevisionsAsync(new ListRevisionsRequest { PostId = answer.PostId, Period = answer.Period });
                var revision = Assert.Single(revisions.Revisions);
                Assert.Equal(submissionId, revision.SubmissionId);
                Assert.Equal(answer.ContentHash, revision.ContentHash);
            }
        }

        SqliteConnection.ClearAllPools();
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        Assert.Equal("ok", Scalar(connection, "PRAGMA integrity_check;"));
        Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM (SELECT 1 FROM GridRevisions GROUP BY PostId, Period HAVING COUNT(*) > 1);"));
        Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM (SELECT 1 FROM Submissions GROUP BY SubmissionId HAVING COUNT(*) > 1);"));
        Assert.InRange((long)Scalar(connection, "SELECT COUNT(*) FROM GridRevisions;")!, acknowledged.Count, requests.Count);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
