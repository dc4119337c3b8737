using Microsoft.EntityFrameworkCore;
using Observatoire.Data.Entities;

namespace Observatoire.Data;

/// <summary>The Observatoire database: registry (regions, departments, posts), submitted grids, API keys, audit log, campaign decisions, editions, the registry's version and its history.</summary>
public class ObservatoireDbContext(DbContextOptions<ObservatoireDbContext> options) : DbContext(options)
{
    public DbSet<Region> Regions => Set<Region>();

    public DbSet<Department> Departments => Set<Department>();

    public DbSet<Post> Posts => Set<Post>();

    public DbSet<PostAssignment> PostAssignments => Set<PostAssignment>();

    public DbSet<PostVersion> PostVersions => Set<PostVersion>();

    public DbSet<GridRevision> GridRevisions => Set<GridRevision>();

    public DbSet<Submission> Submissions => Set<Submission>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<CampaignDecision> CampaignDecisions => Set<CampaignDecision>();

    public DbSet<Edition> Editions => Set<Edition>();

    public DbSet<RegistryVersion> RegistryVersions => Set<RegistryVersion>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ObservatoireDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every DateTime is UTC: converted to UTC when written (stored by SQLite as sortable ISO text),
        // and read back with DateTimeKind.Utc.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }
}
