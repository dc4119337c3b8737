using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Observatoire.Data.Entities;

namespace Observatoire.Data.Configurations;

/// <summary>Table "ApiKeys".</summary>
public sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).HasMaxLength(DataLimits.KeyId);
        builder.Property(k => k.Name).HasMaxLength(DataLimits.Name);
        builder.Property(k => k.Role).HasConversion<int>();
        builder.Property(k => k.Posts).HasMaxLength(DataLimits.KeyPosts);
        builder.Property(k => k.Scope).HasMaxLength(DataLimits.KeyScope);
        builder.Property(k => k.CreatedBy).HasMaxLength(DataLimits.KeyId);
        builder.HasIndex(k => k.Role);
    }
}
