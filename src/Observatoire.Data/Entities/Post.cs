using Observatoire.Core.Registry;

namespace Observatoire.Data.Entities;

/// <summary>An ISCG post: a social worker position in a police or gendarmerie station.</summary>
public class Post
{
    /// <summary>Post identifier, e.g. "P-09-001".</summary>
    public required string Id { get; set; }

    /// <summary>Display name in French.</summary>
    public required string Name { get; set; }

    /// <summary>The department the post is currently assigned to (see <see cref="Assignments"/> for the history).</summary>
    public required string DepartmentCode { get; set; }

    /// <summary>Which force the post works with.</summary>
    public required Zone Zone { get; set; }

    /// <summary>Full-time equivalent of the position (1.0, 0.8, 0.5...).</summary>
    public double Fte { get; set; } = 1.0;

    /// <summary>How often the post files its grid.</summary>
    public required ReportingFrequency Frequency { get; set; }

    /// <summary>First day the post is active.</summary>
    public required DateOnly ActiveFrom { get; set; }

    /// <summary>Last day the post is active; null while it is open.</summary>
    public DateOnly? ActiveTo { get; set; }

    /// <summary>The current department of the post.</summary>
    public Department Department { get; set; } = null!;

    /// <summary>Where the post was over time; at least one entry.</summary>
    public ICollection<PostAssignment> Assignments { get; set; } = [];
}
