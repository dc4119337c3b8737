namespace Observatoire.Data;

/// <summary>Where the reference data seeded into an empty database comes from.</summary>
public sealed class ReferenceDataOptions
{
    /// <summary>Suggested configuration section name.</summary>
    public const string SectionName = "ReferenceData";

    /// <summary>
    /// A posts registry CSV on disk (same columns as the embedded postes.csv) to seed instead of the synthetic one;
    /// null to use the embedded file. Only read when the Posts table is empty.
    /// </summary>
    public string? PostsCsvPath { get; set; }
}
