using System.Globalization;
using System.Text;
using Observatoire.Core.Registry;

namespace Observatoire.Data;

/// <summary>A department as listed in the reference CSV.</summary>
public sealed record DepartmentRecord(
    string Code,
    string Name,
    string RegionCode,
    string RegionName,
    long Population,
    double Latitude,
    double Longitude);

/// <summary>A region, derived from the departments (population is the sum of theirs).</summary>
public sealed record RegionRecord(string Code, string Name, long Population);

/// <summary>A post as listed in a posts registry CSV.</summary>
public sealed record PostRecord(
    string Id,
    string Name,
    string DepartmentCode,
    Zone Zone,
    double Fte,
    ReportingFrequency Frequency,
    DateOnly ActiveFrom,
    DateOnly? ActiveTo);

/// <summary>Parses the reference CSVs: the embedded departments and posts, or a posts registry file with the same columns.</summary>
public static class ReferenceData
{
    /// <summary>Manifest name of the embedded departments CSV.</summary>
    public const string DepartmentsResource = "Observatoire.Data.Reference.departements.csv";

    /// <summary>Manifest name of the embedded synthetic posts CSV.</summary>
    public const string PostsResource = "Observatoire.Data.Reference.postes.csv";

    /// <summary>Columns of the departments CSV.</summary>
    public static IReadOnlyList<string> DepartmentColumns { get; } =
        ["code_departement", "nom", "code_region", "nom_region", "population", "latitude", "longitude"];

    /// <summary>Columns of a posts CSV (<c>actif_au</c> empty while the post is open).</summary>
    public static IReadOnlyList<string> PostColumns { get; } =
        ["id", "nom", "code_departement", "zone", "etp", "frequence", "actif_du", "actif_au"];

    /// <summary>The 101 departments of the embedded reference file.</summary>
    public static IReadOnlyList<DepartmentRecord> LoadDepartments()
    {
        using var reader = OpenResource(DepartmentsResource);
        return LoadDepartments(reader, "departements.csv");
    }

    /// <summary>Parses a departments CSV (columns: code_departement,nom,code_region,nom_region,population,latitude,longitude).</summary>
    public static IReadOnlyList<DepartmentRecord> LoadDepartments(TextReader reader) => LoadDepartments(reader, "departements.csv");

    /// <summary>Parses a departments CSV; <paramref name="source"/> names the file in error messages.</summary>
    public static IReadOnlyList<DepartmentRecord> LoadDepartments(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = Csv.Read(reader, source);
        var header = Csv.Header(rows, source, [.. DepartmentColumns]);
        var result = new List<DepartmentRecord>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows.Skip(1))
        {
            string Field(string column) => Csv.Get(row, header, column);
            InvalidDataException Error(string message) => new($"{source}, ligne {row.Line} : {message}");

            var code = NormalizeDepartmentCode(Field("code_departement"));
            if (code.Length == 0 || code.Length > DataLimits.DepartmentCode)
            {
                throw Error($"code département invalide « {Field("code_departement")} ».");
            }

            if (!codes.Add(code))
            {
                throw Error($"département {code} en double.");
            }

            var name = Field("nom");
            var regionCode = Field("code_region");
            var regionName = Field("nom_region");
            if (name.Length == 0 || regionName.Length == 0)
            {
                throw Error("nom de département ou de région vide.");
            }

            if (regionCode.Length == 0 || regionCode.Length > DataLimits.RegionCode)
            {
                throw Error($"code région invalide « {regionCode} ».");
            }

            if (!long.TryParse(Field("population"), NumberStyles.None, CultureInfo.InvariantCulture, out var population))
            {
                throw Error($"population invalide « {Field("population")} ».");
            }

            result.Add(new DepartmentRecord(
                code,
                name,
                regionCode,
                regionName,
                population,
                ParseDouble(Field("latitude"), -90, 90) ?? throw Error($"latitude invalide « {Field("latitude")} »."),
                ParseDouble(Field("longitude"), -180, 180) ?? throw Error($"longitude invalide « {Field("longitude")} ».")));
        }

        return result;
    }

    /// <summary>The 18 regions of the embedded reference file.</summary>
    public static IReadOnlyList<RegionRecord> LoadRegions() => Regions(LoadDepartments());

    /// <summary>Regions derived from departments, in order of first appearance; throws when a region code has two names.</summary>
    public static IReadOnlyList<RegionRecord> Regions(IEnumerable<DepartmentRecord> departments)
    {
        ArgumentNullException.ThrowIfNull(departments);
        var result = new List<RegionRecord>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var d in departments)
        {
            if (index.TryGetValue(d.RegionCode, out var i))
            {
                var region = result[i];
                if (region.Name != d.RegionName)
                {
                    throw new InvalidDataException($"région {d.RegionCode} nommée « {region.Name} » et « {d.RegionName} ».");
                }

                result[i] = region with { Population = region.Population + d.Population };
            }
            else
            {
                index[d.RegionCode] = result.Count;
                result.Add(new RegionRecord(d.RegionCode, d.RegionName, d.Population));
            }
        }

        return result;
    }

    /// <summary>The synthetic posts registry embedded in the assembly (about 450 posts).</summary>
    public static IReadOnlyList<PostRecord> LoadEmbeddedPosts()
    {
        using var reader = OpenResource(PostsResource);
        return LoadPosts(reader, "postes.csv");
    }

    /// <summary>Parses a posts registry file on disk (UTF-8, with or without BOM).</summary>
    public static IReadOnlyList<PostRecord> LoadPostsFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"Fichier des postes introuvable : {fullPath}", fullPath);
        }

        using var reader = new StreamReader(fullPath, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return LoadPosts(reader, Path.GetFileName(fullPath));
    }

    /// <summary>Parses a posts CSV (columns: id,nom,code_departement,zone,etp,frequence,actif_du,actif_au).</summary>
    public static IReadOnlyList<PostRecord> LoadPosts(TextReader reader) => LoadPosts(reader, "postes.csv");

    /// <summary>Parses a posts CSV; <paramref name="source"/> names the file in error messages.</summary>
    public static IReadOnlyList<PostRecord> LoadPosts(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = Csv.Read(reader, source);
        var header = Csv.Header(rows, source, [.. PostColumns]);
        var result = new List<PostRecord>();
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in rows.Skip(1))
        {
            string Field(string column) => Csv.Get(row, header, column);
            InvalidDataException Error(string message) => new($"{source}, ligne {row.Line} : {message}");

            var id = Field("id");
            if (id.Length == 0 || id.Length > DataLimits.PostId)
            {
                throw Error($"identifiant de poste invalide « {id} » (1 à {DataLimits.PostId} caractères).");
            }

            if (!ids.Add(id))
            {
                throw Error($"poste {id} en double.");
            }

            var name = Field("nom");
            if (name.Length == 0 || name.Length > DataLimits.Name)
            {
                throw Error($"nom du poste {id} vide ou trop long (maximum {DataLimits.Name} caractères).");
            }

            var department = NormalizeDepartmentCode(Field("code_departement"));
            if (department.Length == 0 || department.Length > DataLimits.DepartmentCode)
            {
                throw Error($"code département invalide « {Field("code_departement")} ».");
            }

            var zone = Field("zone").ToLowerInvariant() switch
            {
                "police" => Zone.Police,
                "gendarmerie" => Zone.Gendarmerie,
                "mixte" => Zone.Mixte,
                _ => throw Error($"zone invalide « {Field("zone")} » : attendu police, gendarmerie ou mixte."),
            };

            var fte = ParseDouble(Field("etp").Replace(',', '.'), 0, 10) is { } value && value > 0
                ? value
                : throw Error($"ETP invalide « {Field("etp")} » : attendu un nombre positif comme 1.0, 0.8 ou 0.5.");

            var frequency = Field("frequence").ToLowerInvariant() switch
            {
                "mois" or "mensuelle" => ReportingFrequency.Month,
                "trimestre" or "trimestrielle" => ReportingFrequency.Quarter,
                "annee" or "année" or "annuelle" => ReportingFrequency.Year,
                _ => throw Error($"fréquence invalide « {Field("frequence")} » : attendu mois, trimestre ou annee."),
            };

            if (!TryParseDate(Field("actif_du"), out var from))
            {
                throw Error($"date actif_du invalide « {Field("actif_du")} » : attendu AAAA-MM-JJ.");
            }

            DateOnly? to = null;
            if (Field("actif_au").Length > 0)
            {
                if (!TryParseDate(Field("actif_au"), out var end))
                {
                    throw Error($"date actif_au invalide « {Field("actif_au")} » : attendu AAAA-MM-JJ ou vide.");
                }

                if (end < from)
                {
                    throw Error($"actif_au ({end:yyyy-MM-dd}) antérieur à actif_du ({from:yyyy-MM-dd}).");
                }

                to = end;
            }

            result.Add(new PostRecord(id, name, department, zone, fte, frequency, from, to));
        }

        return result;
    }

    /// <summary>Upper-cases ("2a" → "2A") and restores a leading zero dropped by spreadsheets ("1" → "01").</summary>
    private static string NormalizeDepartmentCode(string code)
    {
        code = code.Trim().ToUpperInvariant();
        return code.Length == 1 && char.IsAsciiDigit(code[0]) ? "0" + code : code;
    }

    private static double? ParseDouble(string text, double min, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
        && double.IsFinite(value) && value >= min && value <= max
            ? value
            : null;

    private static bool TryParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static StreamReader OpenResource(string name)
    {
        var stream = typeof(ReferenceData).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Ressource intégrée introuvable : {name}.");
        return new StreamReader(stream, Encoding.UTF8);
    }
}
