using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Observatoire.Data.Entities;

namespace Observatoire.Data.Configurations;

/// <summary>Table "PostAssignments".</summary>
public sealed class PostAssignmentConfiguration : IEntityTypeConfiguration<PostAssignment>
{
    public void Configure(EntityTypeBuilder<PostAssignment> builder)
    {
        builder.ToTable("PostAssignments");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedOnAdd();
        builder.Property(a => a.PostId).HasMaxLength(DataLimits.PostId);
        builder.Property(a => a.DepartmentCode).HasMaxLength(DataLimits.DepartmentCode);

        builder.HasOne(a => a.Post)
            .WithMany(p => p.Assignments)
            .HasForeignKey(a => a.PostId)
            .OnDelete(DeleteBehavior.Cascade);

        builder.HasOne(a => a.Department)
            .WithMany()
            .HasForeignKey(a => a.DepartmentCode)
            .OnDelete(DeleteBehavior.Restrict);

        builder.HasIndex(a => new { a.PostId, a.ValidFrom });
    }
}
