using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Observatoire.Data.Entities;

namespace Observatoire.Data.Configurations;

/// <summary>Table "AuditEntries" (append-only: triggers of the migration refuse UPDATE and DELETE).</summary>
public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.KeyId).HasMaxLength(DataLimits.KeyId);
        builder.Property(a => a.RemoteAddress).HasMaxLength(DataLimits.RemoteAddress);
        builder.Property(a => a.Action).HasMaxLength(DataLimits.AuditAction);
        builder.Property(a => a.Target).HasMaxLength(DataLimits.AuditTarget);
        builder.Property(a => a.PostId).HasMaxLength(DataLimits.PostId);
        builder.Property(a => a.Detail).HasMaxLength(DataLimits.Comment);
        builder.HasIndex(a => a.AtUtc);
        builder.HasIndex(a => new { a.KeyId, a.AtUtc });
        builder.HasIndex(a => new { a.PostId, a.AtUtc });
    }
}
