namespace Observatoire.Data.Entities;

/// <summary>One span of a post's history: the department it was assigned to from <see cref="ValidFrom"/> to <see cref="ValidTo"/>.</summary>
public class PostAssignment
{
    /// <summary>Surrogate key.</summary>
    public long Id { get; set; }

    /// <summary>The post.</summary>
    public required string PostId { get; set; }

    /// <summary>The department the post was assigned to during the span.</summary>
    public required string DepartmentCode { get; set; }

    /// <summary>First day of the span (inclusive).</summary>
    public required DateOnly ValidFrom { get; set; }

    /// <summary>Last day of the span (inclusive); null while it is open.</summary>
    public DateOnly? ValidTo { get; set; }

    /// <summary>The post.</summary>
    public Post Post { get; set; } = null!;

    /// <summary>The department.</summary>
    public Department Department { get; set; } = null!;
}
