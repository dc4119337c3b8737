namespace Observatoire.Data.Entities;

/// <summary>A French department ("01".."95", "2A", "2B", "971".."976").</summary>
public class Department
{
    /// <summary>INSEE department code.</summary>
    public required string Code { get; set; }

    /// <summary>Department name in French.</summary>
    public required string Name { get; set; }

    /// <summary>Code of the region the department belongs to.</summary>
    public required string RegionCode { get; set; }

    /// <summary>Population municipale (INSEE).</summary>
    public long Population { get; set; }

    /// <summary>Approximate geographic centre, decimal degrees (WGS 84).</summary>
    public double Latitude { get; set; }

    /// <summary>Approximate geographic centre, decimal degrees (WGS 84).</summary>
    public double Longitude { get; set; }

    /// <summary>The region of the department.</summary>
    public Region Region { get; set; } = null!;
}
