using System.Globalization;
using System.Text.Json;

namespace Observatoire.Core.Exports;

/// <summary>
/// Writes published figures as an SDMX-JSON 2.0 data message, flat ("dimensionAtObservation=AllDimensions"): every
/// dimension at observation level, each observation keyed by the indexes of its dimension values and valued
/// [OBS_VALUE, OBS_STATUS index, CONF_STATUS index]. A secret figure's OBS_VALUE is null.
/// </summary>
public static class SdmxJsonDataWriter
{
    public const string MediaType = "application/vnd.sdmx.data+json; version=2.0.0";

    public static byte[] ToBytes(FigureTable table, SdmxStructure structure, string messageId, DateTimeOffset prepared)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(structure);
        var keys = table.Observations.Select(structure.Key).ToList();

        // Only the codes used, in codelist order: the indexes of the observation keys point into these lists.
        var used = structure.Dimensions
            .Select((d, i) => d.Codes.Where(c => keys.Any(k => k[i] == c.Id)).ToList())
            .ToList();
        var index = used.Select(codes => codes.Select((c, i) => (c.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal)).ToList();
        var obsStatuses = SdmxStructure.ObservationStatuses.Select(c => c.Id).ToList();
        var confStatuses = SdmxStructure.ConfidentialityStatuses.Select(c => c.Id).ToList();
        var time = SdmxStructure.TimePeriod(table.Period);

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            SdmxJsonMeta.Write(json, "https://json.sdmx.org/2.0/sdmx-json-data-schema.json", messageId, prepared, "Observatoire national des ISCG");

            json.WriteStartObject("data");
            json.WriteStartArray("structures");
            json.WriteStartObject();
            json.WriteString("name", $"{table.Schema.Title} — chiffres publiés {time}");
            json.WriteStartArray("links");
            json.WriteStartObject();
            json.WriteString("urn", $"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow={structure.DataflowReference}");
            json.WriteString("rel", "dataflow");
            json.WriteEndObject();
            json.WriteStartObject();
            json.WriteString("urn", $"urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure={SdmxStructure.Agency}:{structure.DataStructureId}({structure.Version})");
            json.WriteString("rel", "datastructure");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartArray("dataSets");
            json.WriteNumberValue(0);
            json.WriteEndArray();

            json.WriteStartObject("dimensions");
            WriteEmpty(json, "dataSet");
            WriteEmpty(json, "series");
            json.WriteStartArray("observation");
            for (var d = 0; d < structure.Dimensions.Count; d++)
            {
                WriteComponent(json, structure.Dimensions[d].Id, structure.Dimensions[d].Name, d, used[d]);
            }

            WriteComponent(json, SdmxStructure.TimeDimension, "Période", structure.Dimensions.Count, [new SdmxCode(time, time)], "TIME_PERIOD");
            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartObject("measures");
            json.WriteStartArray("observation");
            json.WriteStartObject();
            json.WriteString("id", SdmxStructure.Measure);
            json.WriteString("name", "Valeur");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartObject("attributes");
            WriteEmpty(json, "dataSet");
            WriteEmpty(json, "series");
            json.WriteStartArray("observation");
            WriteComponent(json, SdmxStructure.ObsStatus, "Statut de l'observation", null, SdmxStructure.ObservationStatuses, "OBS_STATUS");
            WriteComponent(json, SdmxStructure.ConfStatus, "Statut de confidentialité", null, SdmxStructure.ConfidentialityStatuses, "CONF_STATUS");
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();

            json.WriteStartArray("dataSets");
            json.WriteStartObject();
            json.WriteNumber("structure", 0);
            json.WriteString("action", "Information");
            json.WriteStartObject("observations");
            for (var o = 0; o < table.Observations.Count; o++)
            {
                var observation = table.Observations[o];
                var key = string.Join(':', keys[o].Select((code, d) => index[d][code].ToString(CultureInfo.InvariantCulture))) + ":0";
                json.WriteStartArray(key);
                if (observation.Value is { } value)
                {
                    json.WriteNumberValue(value);
                }
                else
                {
                    json.WriteNullValue();
                }

                json.WriteNumberValue(obsStatuses.IndexOf(SdmxStructure.ObsStatusOf(observation)));
                json.WriteNumberValue(confStatuses.IndexOf(SdmxStructure.ConfStatusOf(observation.Confidentiality)));
                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteEmpty(Utf8JsonWriter json, string name)
    {
        json.WriteStartArray(name);
        json.WriteEndArray();
    }

    private static void WriteComponent(Utf8JsonWriter json, string id, string name, int? keyPosition, IReadOnlyList<SdmxCode> values, string? role = null)
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("name", name);
        if (keyPosition is { } position)
        {
            json.WriteNumber("keyPosition", position);
        }

        if (role is not null)
        {
            json.WriteStartArray("roles");
            json.WriteStringValue(role);
            json.WriteEndArray();
        }

        if (keyPosition is null)
        {
            json.WriteStartObject("relationship");
            json.WriteStartArray("measures");
            json.WriteStringValue(SdmxStructure.Measure);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteStartArray("values");
        foreach (var value in values)
        {
            json.WriteStartObject();
            json.WriteString("id", value.Id);
            json.WriteString("name", value.Name);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
