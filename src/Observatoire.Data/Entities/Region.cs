namespace Observatoire.Data.Entities;

/// <summary>A French region (INSEE 2016 code, e.g. "76" for Occitanie).</summary>
public class Region
{
    /// <summary>INSEE 2016 region code ("11", "76", "01" for Guadeloupe...).</summary>
    public required string Code { get; set; }

    /// <summary>Region name in French.</summary>
    public required string Name { get; set; }

    /// <summary>Population: sum of the populations of its departments.</summary>
    public long Population { get; set; }

    /// <summary>The departments of the region.</summary>
    public ICollection<Department> Departments { get; set; } = [];
}
