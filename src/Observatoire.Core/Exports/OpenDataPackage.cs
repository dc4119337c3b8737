using System.Globalization;
using System.Text;
using System.Text.Json;
using Observatoire.Core.Consolidation;

namespace Observatoire.Core.Exports;

/// <summary>A file of the open data package: its path inside the folder and its bytes.</summary>
public sealed record PackageFile(string Path, byte[] Bytes);

/// <summary>
/// The year's published figures as open data: a French CSV per level (nation, regions, departments), a Frictionless
/// data package descriptor (datapackage.json, Table Schema of each file), the methodology note and the licence
/// (Licence Ouverte 2.0). Only published tables go in: <see cref="FigureTable"/> refuses post-level and secret values.
/// </summary>
public static class OpenDataPackage
{
    public const string LicenceName = "etalab-2.0";
    public const string LicenceTitle = "Licence Ouverte / Open Licence version 2.0";
    public const string LicenceUrl = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";

    private static readonly (string Name, string Type, string Description)[] Fields =
    [
        ("niveau", "string", "Niveau géographique : national, region ou departement."),
        ("code", "string", "Code INSEE de la région ou du département ; vide pour la France entière."),
        ("territoire", "string", "Nom du territoire."),
        ("periode", "string", "Période : l'année (AAAA)."),
        ("indicateur", "string", "Code de l'indicateur de la grille statistique."),
        ("cellule", "string", "Chemin de la cellule : l'indicateur, ou indicateur[dimension=modalité,...] pour une ventilation."),
        ("libelle", "string", "Libellé de la cellule."),
        ("valeur", "integer", "Effectif publié ; vide lorsqu'il est secret, non dérivable ou sans données."),
        ("statut", "string", "complet, partiel (des grilles attendues manquent), non dérivable ou sans données."),
        ("confidentialite", "string", "libre ; secret (petit effectif ou cellule masquée pour le protéger, sans distinction) ; ou, si la distinction est publiée, secret primaire (petit effectif) ou secret secondaire (protège un secret primaire) ; non publié."),
    ];

    /// <summary>The files of the package for a year, from the published tables of each level.</summary>
    public static IReadOnlyList<PackageFile> Build(int year, IReadOnlyList<FigureTable> tables, int threshold, string schemaTitle, DateTimeOffset prepared)
    {
        ArgumentNullException.ThrowIfNull(tables);
        if (!FrenchCsvWriter.Columns.SequenceEqual(Fields.Select(f => f.Name)))
        {
            throw new InvalidOperationException("Le dictionnaire des données ne suit plus les colonnes du CSV.");
        }

        var files = new List<PackageFile>();
        var resources = new List<(string Name, string Path, string Title)>();
        foreach (var table in tables)
        {
            var level = table.Observations.Select(o => o.Area.Level).Distinct().Single();
            var name = $"chiffres-{FrenchCsvWriter.LevelName(level)}-{year}";
            files.Add(new PackageFile(name + ".csv", FrenchCsvWriter.ToBytes(table)));
            resources.Add((name, name + ".csv", $"Chiffres publiés {year}, niveau {LevelTitle(level)}"));
        }

        files.Add(new PackageFile("datapackage.json", Descriptor(year, resources, schemaTitle, prepared)));
        files.Add(new PackageFile("methodologie.md", Encoding.UTF8.GetBytes(Methodology(year, threshold, schemaTitle))));
        files.Add(new PackageFile("LICENCE.md", Encoding.UTF8.GetBytes(Licence())));
        return files;
    }

    private static string LevelTitle(AreaLevel level) => level switch
    {
        AreaLevel.National => "national",
        AreaLevel.Region => "régional",
        _ => "départemental",
    };

    private static byte[] Descriptor(int year, List<(string Name, string Path, string Title)> resources, string schemaTitle, DateTimeOffset prepared)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("profile", "tabular-data-package");
            json.WriteString("name", $"observatoire-iscg-{year}");
            json.WriteString("title", $"Observatoire national des ISCG : chiffres publiés {year}");
            json.WriteString("description", $"Activité des intervenants sociaux en commissariat et gendarmerie en {year} ({schemaTitle}), France entière, régions et départements, sous secret statistique. Voir methodologie.md.");
            json.WriteString("created", prepared.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            json.WriteStartArray("licenses");
            json.WriteStartObject();
            json.WriteString("name", LicenceName);
            json.WriteString("title", LicenceTitle);
            json.WriteString("path", LicenceUrl);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartArray("resources");
            foreach (var (name, path, title) in resources)
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteString("path", path);
                json.WriteString("title", title);
                json.WriteString("profile", "tabular-data-resource");
                json.WriteString("format", "csv");
                json.WriteString("mediatype", "text/csv");
                json.WriteString("encoding", "utf-8");
                json.WriteStartObject("dialect");
                json.WriteString("delimiter", ";");
                json.WriteBoolean("header", true);
                json.WriteEndObject();
                json.WriteStartObject("schema");
                json.WriteStartArray("fields");
                foreach (var (field, type, description) in Fields)
                {
                    json.WriteStartObject();
                    json.WriteString("name", field);
                    json.WriteString("type", type);
                    json.WriteString("description", description);
                    if (field == "valeur")
                    {
                        json.WriteStartObject("constraints");
                        json.WriteNumber("minimum", 0);
                        json.WriteEndObject();
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartArray("missingValues");
                json.WriteStringValue("");
                json.WriteEndArray();
                json.WriteStartArray("primaryKey");
                json.WriteStringValue("niveau");
                json.WriteStringValue("code");
                json.WriteStringValue("cellule");
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static string Methodology(int year, int threshold, string schemaTitle) => $"""
        # Note méthodologique — chiffres publiés {year}

        **Source.** Les grilles statistiques anonymisées ({schemaTitle}) déposées par les postes d'intervenants sociaux en
        commissariat et gendarmerie (ISCG) auprès de l'observatoire national. Une grille compte des effectifs, jamais une personne.

        **Consolidation.** Les chiffres de l'année viennent du bilan annuel de chaque poste quand il existe, sinon de ses grilles
        mensuelles ou trimestrielles, sans jamais compter une grille deux fois. Un poste compte dans le département auquel il
        était rattaché la plus grande partie de l'année. Les personnes reçues sont comptées par poste : une personne reçue par deux
        postes compte deux fois dans les totaux. Un chiffre est « partiel » quand des grilles attendues manquent, « non dérivable »
        quand un effectif de personnes distinctes ne peut pas se déduire des sous-périodes.

        **Secret statistique.** En dessous du niveau national, tout effectif de 1 à {threshold - 1} est secret (secret primaire) ;
        d'autres cellules sont masquées (secret secondaire) pour qu'aucun effectif secret ne puisse être recalculé par somme ou
        différence des chiffres publiés, entre ventilations, départements, régions et nation. Une valeur secrète est vide ; la
        colonne `confidentialite` dit qu'elle est secrète (sans dire, par défaut, s'il s'agit d'un petit effectif). Aucun chiffre d'un poste n'est publié.

        **Fichiers.** `chiffres-national-{year}.csv`, `chiffres-region-{year}.csv`, `chiffres-departement-{year}.csv` : UTF-8 avec
        BOM, séparateur point-virgule, une ligne par chiffre ; le dictionnaire des données est dans `datapackage.json`
        (Frictionless Table Schema).

        **Licence.** {LicenceTitle} (Etalab), voir `LICENCE.md`.

        """;

    private static string Licence() => $"""
        # Licence

        Ces données sont publiées sous la **{LicenceTitle}** (Etalab, avril 2017) : {LicenceUrl}

        Vous êtes libre de les reproduire, copier, publier et transmettre, les diffuser et redistribuer, les adapter, modifier,
        extraire et transformer, et les exploiter à titre commercial, sous réserve de mentionner leur paternité :
        « Observatoire national des ISCG », avec la date de la dernière mise à jour. Le texte complet de la licence fait foi.

        """;
}
