using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Observatoire.Data.Entities;

namespace Observatoire.Data.Configurations;

/// <summary>Table "GridRevisions".</summary>
public sealed class GridRevisionConfiguration : IEntityTypeConfiguration<GridRevision>
{
    public void Configure(EntityTypeBuilder<GridRevision> builder)
    {
        builder.ToTable("GridRevisions");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Id).ValueGeneratedOnAdd();
        builder.Property(g => g.PostId).HasMaxLength(DataLimits.PostId);
        builder.Property(g => g.Period).HasMaxLength(DataLimits.Period);
        builder.Property(g => g.PeriodKind).HasConversion<int>();
        builder.Property(g => g.DepartmentCode).HasMaxLength(DataLimits.DepartmentCode);
        builder.Property(g => g.SchemaVersion).HasMaxLength(DataLimits.SchemaVersion);
        builder.Property(g => g.ClientId).HasMaxLength(DataLimits.ClientId);
        builder.Property(g => g.SubmissionId).HasMaxLength(DataLimits.SubmissionId);
        builder.Property(g => g.ContentHash).HasMaxLength(DataLimits.ContentHash);
        builder.Property(g => g.Comment).HasMaxLength(DataLimits.Comment);
        builder.Property(g => g.WarningsJson).HasDefaultValue("[]");

        builder.HasOne(g => g.Post)
            .WithMany()
            .HasForeignKey(g => g.PostId)
            .OnDelete(DeleteBehavior.Restrict);

        // One number per revision of a post's grid for a period, across every instance on the database: two writers that
        // both read revision n and write n + 1 cannot both succeed (the loser is tried again). The current revision is the
        // highest, read through this index; no flag marks it, so a correction writes its row and nothing else (the flag,
        // its filtered index and the old row's update cost about a quarter of what a batch wrote; migration
        // CurrentFlagDropped).
        builder.HasIndex(g => new { g.PostId, g.Period, g.Revision }).IsUnique();

        // Every index is paid at every write (a batch of grids dirties one page of each per grid, written to the journal
        // and again at the checkpoint): only those a query uses are kept. Reads go by (post, period) above, by change id
        // (the feed) and by reception (as of an instant); consolidation reads every current revision. The department is
        // a copy of the registry's assignment, written by the server, and no query reads revisions by it: the model
        // declares no relation for it, since EF Core would give the relation an index (a random page per grid, about a
        // sixth of what a batch wrote). The constraint stays in the databases, created by the first migration: the migration
        // DepartmentIndexDropped drops its index only.
        builder.HasIndex(g => g.ChangeId);

        // Reads as of an instant find the revisions received by then.
        builder.HasIndex(g => g.ReceivedAtUtc);
    }
}
