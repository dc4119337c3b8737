using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Observatoire.Data;

/// <summary>Stores DateTime values as UTC and reads them back with <see cref="DateTimeKind.Utc"/> (unspecified values are taken as UTC).</summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
