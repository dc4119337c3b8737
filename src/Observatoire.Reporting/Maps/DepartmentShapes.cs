using System.Globalization;
using System.Reflection;
using System.Xml;

namespace Observatoire.Reporting.Maps;

/// <summary>One department's outline: its INSEE code, its name and its rings in map units.</summary>
/// <param name="Code">INSEE code, as everywhere else in the product (<c>01</c>, <c>2A</c>…).</param>
/// <param name="Name">The department's name from the map data.</param>
/// <param name="PathData">The SVG path, unchanged, in the map's view box, for web pages.</param>
/// <param name="Rings">Closed polygons (mainland and islands), absolute coordinates, y downwards.</param>
public sealed record DepartmentShape(
    string Code, string Name, string PathData, IReadOnlyList<IReadOnlyList<(double X, double Y)>> Rings);

/// <summary>
/// The real boundaries of the 96 metropolitan departments (Corsica as 2A and 2B), read once from
/// the embedded <c>france-departements.svg</c> (svg-maps, CC BY 4.0: see the licence file beside
/// it). Overseas departments are not in the data: maps draw them as insets. Any published map drawn
/// from these shapes carries <see cref="Attribution"/>.
/// </summary>
public static class DepartmentShapes
{
    /// <summary>The attribution line the licence asks for wherever a map drawn from it is published.</summary>
    public const string Attribution = "Fond de carte : svg-maps, CC BY 4.0";

    /// <summary>Width of the map's view box (SVG units).</summary>
    public const double ViewBoxWidth = 613;

    /// <summary>Height of the map's view box (SVG units, y downwards).</summary>
    public const double ViewBoxHeight = 585;

    private static readonly Lazy<IReadOnlyDictionary<string, DepartmentShape>> Shapes = new(Load);

    /// <summary>Every metropolitan department's shape, by INSEE code.</summary>
    public static IReadOnlyDictionary<string, DepartmentShape> ByCode => Shapes.Value;

    /// <summary>Parses the relative path syntax the data uses (<c>m</c>, implicit line-tos, <c>z</c>).</summary>
    public static IReadOnlyList<IReadOnlyList<(double X, double Y)>> ParsePath(string pathData)
    {
        ArgumentNullException.ThrowIfNull(pathData);
        var rings = new List<IReadOnlyList<(double X, double Y)>>();
        List<(double X, double Y)>? ring = null;
        double x = 0, y = 0, startX = 0, startY = 0;
        var relative = true;
        var expectMove = false;
        foreach (var token in Tokenize(pathData))
        {
            switch (token)
            {
                case "m" or "M":
                    relative = token == "m";
                    expectMove = true;
                    continue;
                case "l" or "L":
                    relative = token == "l";
                    continue;
                case "z" or "Z":
                    if (ring is { Count: >= 3 }) rings.Add(ring);
                    ring = null;
                    (x, y) = (startX, startY);
                    continue;
            }
            var comma = token.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0) throw new FormatException($"Point attendu, lu « {token} ».");
            var dx = double.Parse(token.AsSpan(0, comma), NumberStyles.Float, CultureInfo.InvariantCulture);
            var dy = double.Parse(token.AsSpan(comma + 1), NumberStyles.Float, CultureInfo.InvariantCulture);
            (x, y) = relative ? (x + dx, y + dy) : (dx, dy);
            if (expectMove)
            {
                if (ring is { Count: >= 3 }) rings.Add(ring);
                ring = [];
                (startX, startY) = (x, y);
                expectMove = false;
            }
            ring ??= [];
            ring.Add((x, y));
        }
        if (ring is { Count: >= 3 }) rings.Add(ring);
        return rings;
    }

    private static IEnumerable<string> Tokenize(string pathData)
    {
        var start = -1;
        for (var i = 0; i <= pathData.Length; i++)
        {
            var c = i < pathData.Length ? pathData[i] : ' ';
            if (char.IsWhiteSpace(c))
            {
                if (start >= 0) yield return pathData[start..i];
                start = -1;
            }
            else if (char.IsLetter(c) && c is not ('e' or 'E'))
            {
                if (start >= 0) yield return pathData[start..i];
                start = -1;
                yield return c.ToString();
            }
            else if (start < 0)
            {
                start = i;
            }
        }
    }

    private static IReadOnlyDictionary<string, DepartmentShape> Load()
    {
        var assembly = typeof(DepartmentShapes).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("france-departements.svg", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        var document = new XmlDocument { XmlResolver = null };
        using (var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit }))
        {
            document.Load(reader);
        }
        var shapes = new Dictionary<string, DepartmentShape>(StringComparer.Ordinal);
        foreach (XmlElement path in document.GetElementsByTagName("path"))
        {
            var code = path.GetAttribute("id");
            var data = path.GetAttribute("d");
            shapes[code] = new DepartmentShape(code, path.GetAttribute("aria-label"), data, ParsePath(data));
        }
        return shapes;
    }
}
