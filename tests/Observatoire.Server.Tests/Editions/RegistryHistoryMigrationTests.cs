using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Observatoire.Data;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Editions;

/// <summary>A database made before the registry's history: upgraded, its posts become baseline versions that hold at every instant.</summary>
public class RegistryHistoryMigrationTests
{
    [Fact]
    public async Task A_database_from_before_the_history_gets_its_posts_as_baseline_versions_read_at_every_earlier_instant()
    {
        var directory = Directory.CreateTempSubdirectory("observatoire-history-").FullName;
        var path = Path.Combine(directory, "observatoire.db");
        using (var first = new ServerFixture(path))
        {
            await new AdminService.AdminServiceClient(first.CreateChannel()).AddPostAsync(new AddPostRequest
            {
                Post = new Post { Id = "P-48-901", Name = "Poste d'avant l'historique", DepartmentCode = "48", Frequency = ReportingFrequency.Month, Zone = Zone.Police, ActiveFrom = "2020-01-01" },
            });
            await new GridService.GridServiceClient(first.CreateChannel()).SubmitGridAsync(TestGrids.Submission(TestGrids.Valid("P-48-901", "2021-01")));
        }

        // Back to the schema before the history (its table dropped), as a database of the previous release.
        var options = new DbContextOptionsBuilder<ObservatoireDbContext>().UseSqlite($"Data Source={path}").Options;
        await using (var old = new ObservatoireDbContext(options))
        {
            await old.GetService<IMigrator>().MigrateAsync("20261202090247_RegistryVersion");
        }

        SqliteConnection.ClearAllPools();
        var beforeUpgrade = DateTime.UtcNow;
        using var upgraded = new ServerFixture(path);
        var versions = await upgraded.QueryAsync(db => db.PostVersions.AsNoTracking().ToListAsync());
        var posts = await upgraded.QueryAsync(db => db.Posts.Select(p => p.Id).ToListAsync());
        Assert.Equal(posts.Order(StringComparer.Ordinal), versions.Select(v => v.PostId).Order(StringComparer.Ordinal));
        Assert.All(versions, v => Assert.True(v.Baseline));
        Assert.Equal("48:2020-01-01:", versions.Single(v => v.PostId == "P-48-901").Locations);

        // Recorded at the upgrade, yet read at every instant before it: the post added before still has its figures then.
        var then = await new AggregateService.AggregateServiceClient(upgraded.CreateChannel()).ConsolidateAsync(new ConsolidateRequest
        {
            Area = new Area { Level = AreaLevel.Post, Code = "P-48-901" },
            Period = "2021-01",
            Cells = { "entretiens" },
            Disclosure = Disclosure.Raw,
            AsOf = Timestamp.FromDateTime(beforeUpgrade),
        });
        Assert.Equal("Poste d'avant l'historique", then.Area.Name);
        Assert.Equal(1, then.Provenance.GridsUsed);
        upgraded.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
