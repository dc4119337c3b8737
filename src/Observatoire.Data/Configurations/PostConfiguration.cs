using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Observatoire.Data.Entities;

namespace Observatoire.Data.Configurations;

/// <summary>Table "Posts".</summary>
public sealed class PostConfiguration : IEntityTypeConfiguration<Post>
{
    public void Configure(EntityTypeBuilder<Post> builder)
    {
        builder.ToTable("Posts");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasMaxLength(DataLimits.PostId);
        builder.Property(p => p.Name).HasMaxLength(DataLimits.Name);
        builder.Property(p => p.DepartmentCode).HasMaxLength(DataLimits.DepartmentCode);
        builder.Property(p => p.Zone).HasConversion<int>();
        builder.Property(p => p.Frequency).HasConversion<int>();

        builder.HasOne(p => p.Department)
            .WithMany()
            .HasForeignKey(p => p.DepartmentCode)
            .OnDelete(DeleteBehavior.Restrict);

        builder.HasIndex(p => p.DepartmentCode);
    }
}
