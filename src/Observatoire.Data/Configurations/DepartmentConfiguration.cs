using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Observatoire.Data.Entities;

namespace Observatoire.Data.Configurations;

/// <summary>Table "Departments".</summary>
public sealed class DepartmentConfiguration : IEntityTypeConfiguration<Department>
{
    public void Configure(EntityTypeBuilder<Department> builder)
    {
        builder.ToTable("Departments");
        builder.HasKey(d => d.Code);
        builder.Property(d => d.Code).HasMaxLength(DataLimits.DepartmentCode);
        builder.Property(d => d.Name).HasMaxLength(DataLimits.Name);
        builder.Property(d => d.RegionCode).HasMaxLength(DataLimits.RegionCode);

        builder.HasOne(d => d.Region)
            .WithMany(r => r.Departments)
            .HasForeignKey(d => d.RegionCode)
            .OnDelete(DeleteBehavior.Restrict);
    }
}
