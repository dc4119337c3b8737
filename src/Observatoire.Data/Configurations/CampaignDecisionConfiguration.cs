using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Observatoire.Data.Entities;

namespace Observatoire.Data.Configurations;

/// <summary>Table "CampaignDecisions".</summary>
public sealed class CampaignDecisionConfiguration : IEntityTypeConfiguration<CampaignDecision>
{
    public void Configure(EntityTypeBuilder<CampaignDecision> builder)
    {
        builder.ToTable("CampaignDecisions");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Period).HasMaxLength(DataLimits.Period);
        builder.Property(c => c.Action).HasConversion<int>();
        builder.Property(c => c.DepartmentCode).HasMaxLength(DataLimits.DepartmentCode);
        builder.Property(c => c.PostId).HasMaxLength(DataLimits.PostId);
        builder.Property(c => c.Reason).HasMaxLength(DataLimits.Comment);
        builder.Property(c => c.KeyId).HasMaxLength(DataLimits.KeyId);
        builder.HasIndex(c => c.Period);
    }
}
