using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Observatoire.Data.Entities;

namespace Observatoire.Data.Configurations;

/// <summary>Table "Editions" (unique name).</summary>
public sealed class EditionConfiguration : IEntityTypeConfiguration<Edition>
{
    public void Configure(EntityTypeBuilder<Edition> builder)
    {
        builder.ToTable("Editions");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Name).HasMaxLength(DataLimits.EditionName);
        builder.Property(e => e.CreatedBy).HasMaxLength(DataLimits.KeyId);
        builder.HasIndex(e => e.Name).IsUnique();
        builder.HasIndex(e => e.Year);
        builder.HasMany(e => e.Files).WithOne().HasForeignKey(f => f.EditionId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Table "EditionFiles".</summary>
public sealed class EditionFileConfiguration : IEntityTypeConfiguration<EditionFile>
{
    public void Configure(EntityTypeBuilder<EditionFile> builder)
    {
        builder.ToTable("EditionFiles");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.FileName).HasMaxLength(DataLimits.Name);
        builder.Property(f => f.Sha256).HasMaxLength(DataLimits.ContentHash);
        builder.HasIndex(f => new { f.EditionId, f.FileName }).IsUnique();
    }
}
