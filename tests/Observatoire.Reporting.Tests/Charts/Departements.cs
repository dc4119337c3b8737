using System.Globalization;

namespace Observatoire.Reporting.Tests.Charts;

/// <summary>The 101 departments of the product's reference file: code, name, region, population, position.</summary>
internal static class Departements
{
    public static readonly (string Code, string Name, string Region, string RegionName, int Population, double Latitude, double Longitude)[] All =
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "departements.csv"))
            .Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.Split(','))
            .Select(f => (f[0], f[1], f[2], f[3], int.Parse(f[4], CultureInfo.InvariantCulture), double.Parse(f[5], CultureInfo.InvariantCulture), double.Parse(f[6], CultureInfo.InvariantCulture)))];
}
