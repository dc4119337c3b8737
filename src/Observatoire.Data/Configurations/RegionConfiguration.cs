using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Observatoire.Data.Entities;

namespace Observatoire.Data.Configurations;

/// <summary>Table "Regions".</summary>
public sealed class RegionConfiguration : IEntityTypeConfiguration<Region>
{
    public void Configure(EntityTypeBuilder<Region> builder)
    {
        builder.ToTable("Regions");
        builder.HasKey(r => r.Code);
        builder.Property(r => r.Code).HasMaxLength(DataLimits.RegionCode);
        builder.Property(r => r.Name).HasMaxLength(DataLimits.Name);
    }
}
