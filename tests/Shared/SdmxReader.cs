using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Observatoire.Tests.Shared;

/// <summary>One observation as read back from a message: its dimension codes by id, value and attributes.</summary>
public sealed record ReadObservation(IReadOnlyDictionary<string, string> Key, string? Value, string ObsStatus, string ConfStatus);

/// <summary>
/// An independent reader of the two SDMX data formats, written from the published specifications
/// (sdmx-twg/sdmx-csv data-message field guide, sdmx-twg/sdmx-json data-message field guide), not from our writers:
/// it checks each message's structure as it reads and fails on any departure.
/// </summary>
public static partial class SdmxReader
{
    private static readonly string[] Actions = ["I", "A", "M", "R", "D"];

    /// <summary>SDMX-CSV: RFC 4180 records, mandatory header, STRUCTURE/STRUCTURE_ID/ACTION first, same width on every row.</summary>
    public static List<ReadObservation> ReadCsv(string text, IReadOnlyList<string> dimensionIds)
    {
        var records = Rfc4180(text);
        var header = records[0];
        Assert.Equal("STRUCTURE", header[0]);
        Assert.Equal("STRUCTURE_ID", header[1]);
        Assert.Equal("ACTION", header[2]);
        Assert.Equal(header.Count, header.Distinct().Count());
        foreach (var id in dimensionIds.Append("TIME_PERIOD").Append("OBS_VALUE").Append("OBS_STATUS").Append("CONF_STATUS"))
        {
            Assert.Contains(id, header);
        }

        var result = new List<ReadObservation>();
        foreach (var record in records.Skip(1))
        {
            Assert.Equal(header.Count, record.Count);
            Assert.Contains(record[0], new[] { "dataflow", "datastructure", "dataprovision" });
            Assert.Matches(ArtefactReference(), record[1]);
            Assert.Contains(record[2], Actions);
            var fields = header.Zip(record).ToDictionary(p => p.First, p => p.Second);
            foreach (var id in dimensionIds.Append("TIME_PERIOD"))
            {
                Assert.False(string.IsNullOrEmpty(fields[id]), $"dimension {id} empty in a data row");
            }

            result.Add(new ReadObservation(
                dimensionIds.Append("TIME_PERIOD").ToDictionary(id => id, id => fields[id]),
                fields["OBS_VALUE"].Length == 0 ? null : fields["OBS_VALUE"],
                fields["OBS_STATUS"],
                fields["CONF_STATUS"]));
        }

        return result;
    }

    /// <summary>SDMX-JSON data message: meta, data.structures with components, dataSets whose observations index into them.</summary>
    public static List<ReadObservation> ReadJson(string text)
    {
        var root = JsonDocument.Parse(text).RootElement;
        var meta = root.GetProperty("meta");
        Assert.False(string.IsNullOrEmpty(meta.GetProperty("id").GetString()));
        Assert.True(DateTimeOffset.TryParse(meta.GetProperty("prepared").GetString(), out _));
        Assert.False(string.IsNullOrEmpty(meta.GetProperty("sender").GetProperty("id").GetString()));

        var data = root.GetProperty("data");
        var structures = data.GetProperty("structures").EnumerateArray().ToList();
        var result = new List<ReadObservation>();
        foreach (var dataSet in data.GetProperty("dataSets").EnumerateArray())
        {
            var structure = structures[dataSet.GetProperty("structure").GetInt32()];
            var dimensions = structure.GetProperty("dimensions");
            Assert.Empty(dimensions.GetProperty("dataSet").EnumerateArray());
            Assert.Empty(dimensions.GetProperty("series").EnumerateArray());
            var observationDimensions = dimensions.GetProperty("observation").EnumerateArray().ToList();
            Assert.Equal(
                Enumerable.Range(0, observationDimensions.Count),
                observationDimensions.Select(d => d.GetProperty("keyPosition").GetInt32()).Order());
            var measures = structure.GetProperty("measures").GetProperty("observation").EnumerateArray().ToList();
            var attributes = structure.GetProperty("attributes").GetProperty("observation").EnumerateArray().ToList();
            Assert.Contains(dataSet.GetProperty("action").GetString(), new[] { "Information", "Append", "Merge", "Replace", "Delete" });

            foreach (var observation in dataSet.GetProperty("observations").EnumerateObject())
            {
                var indexes = observation.Name.Split(':').Select(int.Parse).ToList();
                Assert.Equal(observationDimensions.Count, indexes.Count);
                var key = new Dictionary<string, string>();
                for (var d = 0; d < indexes.Count; d++)
                {
                    var values = observationDimensions[d].GetProperty("values");
                    Assert.InRange(indexes[d], 0, values.GetArrayLength() - 1);
                    key[observationDimensions[d].GetProperty("id").GetString()!] = values[indexes[d]].GetProperty("id").GetString()!;
                }

                var array = observation.Value.EnumerateArray().ToList();
                Assert.InRange(array.Count, measures.Count, measures.Count + attributes.Count);
                var measure = array[0];
                Assert.True(measure.ValueKind is JsonValueKind.Number or JsonValueKind.Null);
                string Attribute(string id)
                {
                    var position = attributes.FindIndex(a => a.GetProperty("id").GetString() == id);
                    Assert.True(position >= 0, $"attribute {id} not declared");
                    var element = array[measures.Count + position];
                    var values = attributes[position].GetProperty("values");
                    Assert.InRange(element.GetInt32(), 0, values.GetArrayLength() - 1);
                    return values[element.GetInt32()].GetProperty("id").GetString()!;
                }

                result.Add(new ReadObservation(key, measure.ValueKind == JsonValueKind.Null ? null : measure.GetRawText(), Attribute("OBS_STATUS"), Attribute("CONF_STATUS")));
            }
        }

        return result;
    }

    /// <summary>RFC 4180: fields separated by commas, quoted fields may hold commas, quotes (doubled) and line breaks.</summary>
    public static List<List<string>> Rfc4180(string text, char separator = ',')
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == separator)
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
                i++;
            }
            else
            {
                Assert.NotEqual('\n', c);
                field.Append(c);
            }
        }

        Assert.False(quoted, "unterminated quoted field");
        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            records.Add(record);
        }

        return records;
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_\-@$]*:[A-Za-z][A-Za-z0-9_\-@$]*\(\d+(\.\d+){0,2}\)$")]
    private static partial Regex ArtefactReference();
}
