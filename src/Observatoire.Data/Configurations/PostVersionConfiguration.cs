using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Observatoire.Data.Entities;

namespace Observatoire.Data.Configurations;

/// <summary>Table "PostVersions": append-only, no foreign key (the history outlives what it describes).</summary>
public sealed class PostVersionConfiguration : IEntityTypeConfiguration<PostVersion>
{
    public void Configure(EntityTypeBuilder<PostVersion> builder)
    {
        builder.ToTable("PostVersions");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Id).ValueGeneratedOnAdd();
        builder.Property(v => v.PostId).HasMaxLength(DataLimits.PostId);
        builder.Property(v => v.Name).HasMaxLength(DataLimits.Name);
        builder.Property(v => v.DepartmentCode).HasMaxLength(DataLimits.DepartmentCode);
        builder.Property(v => v.Zone).HasConversion<int>();
        builder.Property(v => v.Frequency).HasConversion<int>();

        // The latest version of each post up to a point, and the last version recorded by an instant.
        builder.HasIndex(v => new { v.PostId, v.Id });
        builder.HasIndex(v => v.RecordedAtUtc);
    }
}
