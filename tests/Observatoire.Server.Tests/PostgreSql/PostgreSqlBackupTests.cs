using System.Diagnostics;
using Npgsql;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests;

/// <summary>
/// The README's PostgreSQL backup procedure, command for command (pg_dump, pg_restore --list, createdb, pg_restore),
/// with the client tools of the test server's installation: a server started on the restored database holds every
/// row and the same national figures.
/// </summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlBackupTests
{
    [Fact]
    public async Task The_readme_pg_dump_and_pg_restore_procedure_restores_every_grid_and_the_national_figures()
    {
        var folder = Directory.CreateTempSubdirectory("observatoire-pgdump-").FullName;
        var dump = Path.Combine(folder, "observatoire-2026-12-01.dump");
        var restored = $"observatoire_restauree_{Guid.NewGuid():N}";
        var admin = new NpgsqlConnectionStringBuilder(PostgreSqlServerFixture.AdminConnectionString);
        var host = admin.Host!;
        var user = admin.Username!;
        try
        {
            (int Revisions, int Submissions) counts;
            ConsolidateResponse national;
            using (var source = new PostgreSqlServerFixture())
            {
                var grids = new GridService.GridServiceClient(source.CreateChannel());
                for (var i = 0; i < 6; i++)
                {
                    await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(TestGrids.MonthlyPost(40 + i).Id, $"2024-0{1 + (i % 3)}")));
                }

                // A correction: two revisions of one grid, the second current.
                var corrected = TestGrids.Valid(TestGrids.MonthlyPost(40).Id, "2024-01");
                corrected.Values["file_active_fin"] += 7;
                await grids.SubmitGridAsync(TestGrids.Submission(corrected));

                counts = await source.CountRowsAsync();
                national = await NationalAsync(source);

                // Online, one consistent snapshot, while the server runs.
                await RunAsync("pg_dump", "--format=custom", $"--file={dump}", $"host={host} dbname={source.DatabaseName} user={user}");
            }

            await RunAsync("pg_restore", "--list", dump);
            await RunAsync("createdb", "-h", host, "-U", user, "-O", user, restored);
            await RunAsync("pg_restore", "--exit-on-error", "--no-owner", $"--role={user}", "-h", host, "-U", user, "-d", restored, dump);

            using var server = new PostgreSqlServerFixture(restored);
            Assert.Equal(7, counts.Revisions);
            Assert.Equal(counts, await server.CountRowsAsync());
            var again = await NationalAsync(server);
            Assert.NotEmpty(national.Figures);
            Assert.Contains(national.Figures, f => f.Value > 0);
            Assert.Equal(national.Figures, again.Figures);
            Assert.Equal(national.Coverage, again.Coverage);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(PostgreSqlServerFixture.AdminConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{restored}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static Task<ConsolidateResponse> NationalAsync(ServerFixture server) =>
        new AggregateService.AggregateServiceClient(server.CreateChannel()).ConsolidateAsync(new ConsolidateRequest
        {
            Area = new Area { Level = AreaLevel.National },
            Period = "2024",
            Disclosure = Disclosure.Raw,
        }).ResponseAsync;

    /// <summary>
    /// Runs a PostgreSQL client tool of the newest installation under /usr/lib/postgresql (as .ci/postgres.sh finds
    /// initdb), else from PATH; the port and password of OBSERVATOIRE_TEST_POSTGRES go in PGPORT and PGPASSWORD.
    /// </summary>
    private static async Task RunAsync(string tool, params string[] arguments)
    {
        var admin = new NpgsqlConnectionStringBuilder(PostgreSqlServerFixture.AdminConnectionString);
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin", tool))
                .Where(File.Exists)
                .OrderByDescending(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
        var start = new ProcessStartInfo(installed ?? tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PGPORT"] = admin.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGPASSWORD"] = admin.Password ?? "";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} : code {process.ExitCode}{Environment.NewLine}{await errors}");
        _ = await output;
    }
}
