using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Observatoire.Data.Entities;

namespace Observatoire.Data.Configurations;

/// <summary>Table "Submissions".</summary>
public sealed class SubmissionConfiguration : IEntityTypeConfiguration<Submission>
{
    public void Configure(EntityTypeBuilder<Submission> builder)
    {
        builder.ToTable("Submissions");
        builder.HasKey(s => s.SubmissionId);
        builder.Property(s => s.SubmissionId).HasMaxLength(DataLimits.SubmissionId);
        builder.Property(s => s.PostId).HasMaxLength(DataLimits.PostId);
        builder.Property(s => s.Period).HasMaxLength(DataLimits.Period);
        builder.Property(s => s.ContentHash).HasMaxLength(DataLimits.ContentHash);
        builder.Property(s => s.ClientId).HasMaxLength(DataLimits.ClientId);

        builder.HasOne(s => s.GridRevision)
            .WithMany(g => g.Submissions)
            .HasForeignKey(s => s.GridRevisionId)
            .OnDelete(DeleteBehavior.Restrict);
    }
}
