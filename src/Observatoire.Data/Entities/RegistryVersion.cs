namespace Observatoire.Data.Entities;

/// <summary>
/// The registry's version: one row, bumped in the transaction of every change to the posts, so that every server
/// instance on the database knows, with one lookup, when its registry snapshot is behind.
/// </summary>
public class RegistryVersion
{
    /// <summary>The id of the one row.</summary>
    public const int RowId = 1;

    public int Id { get; set; }

    /// <summary>0 at creation, plus one per committed registry change.</summary>
    public long Version { get; set; }
}
