using System.Globalization;
using System.Text;

namespace Observatoire.Core.Exports;

/// <summary>
/// Writes published figures as an SDMX-CSV 2.0 data message: one row per observation, a mandatory header row
/// (STRUCTURE, STRUCTURE_ID, ACTION, the dimensions in key order, TIME_PERIOD, OBS_VALUE, OBS_STATUS, CONF_STATUS),
/// comma separated, UTF-8 without BOM. A secret figure has an empty OBS_VALUE and its CONF_STATUS (A or D).
/// </summary>
public static class SdmxCsvWriter
{
    public const string MediaType = "application/vnd.sdmx.data+csv; version=2.0.0";

    public static void Write(FigureTable table, SdmxStructure structure, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(structure);
        ArgumentNullException.ThrowIfNull(writer);
        var header = new List<string> { "STRUCTURE", "STRUCTURE_ID", "ACTION" };
        header.AddRange(structure.Dimensions.Select(d => d.Id));
        header.AddRange([SdmxStructure.TimeDimension, SdmxStructure.Measure, SdmxStructure.ObsStatus, SdmxStructure.ConfStatus]);
        WriteRow(writer, header);

        var time = SdmxStructure.TimePeriod(table.Period);
        foreach (var observation in table.Observations)
        {
            var row = new List<string> { "dataflow", structure.DataflowReference, "I" };
            row.AddRange(structure.Key(observation));
            row.Add(time);
            row.Add(observation.Value?.ToString(CultureInfo.InvariantCulture) ?? "");
            row.Add(SdmxStructure.ObsStatusOf(observation));
            row.Add(SdmxStructure.ConfStatusOf(observation.Confidentiality));
            WriteRow(writer, row);
        }
    }

    public static byte[] ToBytes(FigureTable table, SdmxStructure structure)
    {
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\r\n" })
        {
            Write(table, structure, writer);
        }

        return stream.ToArray();
    }

    private static void WriteRow(TextWriter writer, IEnumerable<string> fields) =>
        writer.WriteLine(string.Join(',', fields.Select(Quote)));

    /// <summary>RFC 4180 quoting: a field with a comma, a quote or a line break is quoted, its quotes doubled.</summary>
    internal static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
