using System.Globalization;
using System.Text;
using System.Text.Json;
using Observatoire.Cli.Infrastructure;
using Observatoire.Simulation;

namespace Observatoire.Cli.Simulation;

/// <summary>
/// Writes a simulation to a folder (simulate --dry-run -o DIR): one grid file per post in DIR/grilles, in the JSON
/// format that validate and submit read, and a manifest DIR/simulation.csv with the fate of every expected grid.
/// </summary>
public static class SimulationFiles
{
    /// <summary>Name of the manifest file.</summary>
    public const string ManifestName = "simulation.csv";

    /// <summary>Subfolder of the grid files (apart from the manifest, so that "submit DIR/grilles" reads only grids).</summary>
    public const string GridFolder = "grilles";

    /// <summary>Writes the files; returns the number of grid files written.</summary>
    public static int Write(string directory, SimulationResult result, int year)
    {
        var gridDirectory = Path.Combine(directory, GridFolder);
        Directory.CreateDirectory(gridDirectory);
        var files = 0;
        foreach (var post in result.Sent.GroupBy(g => g.Grid.PostId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(gridDirectory, $"{post.Key}-{year.ToString(CultureInfo.InvariantCulture)}.json");
            File.WriteAllText(path, GridsJson(post.OrderBy(g => g.Period.Start).ThenBy(g => g.Period.Kind)), new UTF8Encoding(false));
            files++;
        }

        File.WriteAllText(Path.Combine(directory, ManifestName), Manifest(result).ToString(), new UTF8Encoding(true));
        return files;
    }

    /// <summary>{"grids": [...]} with integer values (the grid file format, not protobuf JSON where int64 are strings).</summary>
    public static string GridsJson(IEnumerable<SimulatedGrid> grids)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("grids");
            foreach (var simulated in grids)
            {
                var grid = simulated.Grid;
                writer.WriteStartObject();
                writer.WriteString("post_id", grid.PostId);
                writer.WriteString("period", grid.Period);
                writer.WriteString("schema_version", grid.SchemaVersion);
                writer.WriteStartObject("values");
                foreach (var (key, value) in grid.Values)
                {
                    writer.WriteNumber(key, value);
                }

                writer.WriteEndObject();
                if (!string.IsNullOrEmpty(grid.Comment))
                {
                    writer.WriteString("comment", grid.Comment);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + Environment.NewLine;
    }

    /// <summary>One row per expected grid: post_id;period;status;received_at;submission_id;outlier_indicator.</summary>
    public static CsvTable Manifest(SimulationResult result)
    {
        var table = new CsvTable(';', "post_id", "period", "status", "received_at", "submission_id", "outlier_indicator");
        foreach (var grid in result.Grids)
        {
            table.AddRow(
                grid.Grid.PostId,
                grid.Grid.Period,
                FateCode(grid.Fate),
                grid.ReceivedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                grid.IsSent ? grid.SubmissionId : null,
                grid.OutlierIndicator);
        }

        return table;
    }

    /// <summary>"a_l_heure", "en_retard", "manquante", "en_attente".</summary>
    public static string FateCode(GridFate fate) => fate switch
    {
        GridFate.OnTime => "a_l_heure",
        GridFate.Late => "en_retard",
        GridFate.Missing => "manquante",
        _ => "en_attente",
    };
}
