using Observatoire.Core.Registry;

namespace Observatoire.Data.Entities;

/// <summary>
/// A post as the registry recorded it at an instant: written, never changed, in the transaction of every change of the
/// post (creation, correction, move, closing), so that the registry as of any instant can be read again.
/// </summary>
public class PostVersion
{
    /// <summary>Autoincrement: versions are numbered in the order their changes were committed (under the registry's row lock).</summary>
    public long Id { get; set; }

    /// <summary>The post.</summary>
    public required string PostId { get; set; }

    /// <summary>When the change was recorded (UTC, whole microseconds): the version counts for every instant from then on.</summary>
    public required DateTime RecordedAtUtc { get; set; }

    /// <summary>
    /// A version of the registry the history starts from (seeded with the database, or held when the history began):
    /// it counts for every instant, earlier ones included.
    /// </summary>
    public bool Baseline { get; set; }

    public required string Name { get; set; }

    /// <summary>The department the post was assigned to last, as <see cref="Post.DepartmentCode"/>.</summary>
    public required string DepartmentCode { get; set; }

    public required Zone Zone { get; set; }

    public double Fte { get; set; }

    public required ReportingFrequency Frequency { get; set; }

    public required DateOnly ActiveFrom { get; set; }

    public DateOnly? ActiveTo { get; set; }

    /// <summary>Its assignments in order, "department:from:to" joined by ";" (to empty while open): see <see cref="RegistryHistory"/>.</summary>
    public required string Locations { get; set; }
}
