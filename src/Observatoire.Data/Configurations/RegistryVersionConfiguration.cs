using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Observatoire.Data.Entities;

namespace Observatoire.Data.Configurations;

/// <summary>Table "RegistryVersion": its one row is created by the migration.</summary>
public sealed class RegistryVersionConfiguration : IEntityTypeConfiguration<RegistryVersion>
{
    public void Configure(EntityTypeBuilder<RegistryVersion> builder)
    {
        builder.ToTable("RegistryVersion");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.HasData(new RegistryVersion { Id = RegistryVersion.RowId, Version = 0 });
    }
}
