using System.Globalization;
using System.Text.Json;

namespace Observatoire.Core.Exports;

/// <summary>
/// Writes the data structure definition of a schema version as an SDMX-JSON 2.0 structure message: the concept
/// scheme, a codelist per coded dimension (areas, indicators, each breakdown category) and the SDMX cross-domain
/// codelists of OBS_STATUS and CONF_STATUS, and the data structure (dimensions, time dimension, measure, attributes)
/// with its dataflow.
/// </summary>
public static class SdmxStructureWriter
{
    public const string MediaType = "application/vnd.sdmx.structure+json; version=2.0.0";

    private const string ConceptScheme = "CS_ISCG";
    private const string SchemeVersion = "1.0.0";

    public static byte[] ToBytes(SdmxStructure structure, string messageId, DateTimeOffset prepared)
    {
        ArgumentNullException.ThrowIfNull(structure);
        var codelists = structure.Dimensions
            .Select(d => (d.CodelistId, d.Name, d.Codes))
            .Append(("CL_OBS_STATUS", "Statut de l'observation", SdmxStructure.ObservationStatuses))
            .Append(("CL_CONF_STATUS", "Statut de confidentialité", SdmxStructure.ConfidentialityStatuses))
            .ToList();

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            SdmxJsonMeta.Write(json, "https://json.sdmx.org/2.0/sdmx-json-structure-schema.json", messageId, prepared, senderName: null);

            json.WriteStartObject("data");
            json.WriteStartArray("conceptSchemes");
            json.WriteStartObject();
            Artefact(json, ConceptScheme, SchemeVersion, "Concepts de l'observatoire des ISCG");
            json.WriteStartArray("concepts");
            foreach (var (id, name) in structure.Dimensions.Select(d => (d.Id, d.Name))
                .Append((SdmxStructure.TimeDimension, "Période"))
                .Append((SdmxStructure.Measure, "Valeur"))
                .Append((SdmxStructure.ObsStatus, "Statut de l'observation"))
                .Append((SdmxStructure.ConfStatus, "Statut de confidentialité")))
            {
                json.WriteStartObject();
                json.WriteString("id", id);
                json.WriteString("name", name);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();

            json.WriteStartArray("codelists");
            foreach (var (id, name, codes) in codelists)
            {
                json.WriteStartObject();
                Artefact(json, id, structure.Version, name);
                json.WriteStartArray("codes");
                foreach (var code in codes)
                {
                    json.WriteStartObject();
                    json.WriteString("id", code.Id);
                    json.WriteString("name", code.Name);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();

            json.WriteStartArray("dataStructures");
            json.WriteStartObject();
            Artefact(json, structure.DataStructureId, structure.Version, structure.Schema.Title);
            json.WriteStartObject("dataStructureComponents");
            json.WriteStartObject("dimensionList");
            json.WriteString("id", "DimensionDescriptor");
            json.WriteStartArray("dimensions");
            for (var i = 0; i < structure.Dimensions.Count; i++)
            {
                var dimension = structure.Dimensions[i];
                json.WriteStartObject();
                json.WriteString("id", dimension.Id);
                json.WriteNumber("position", i);
                json.WriteString("conceptIdentity", ConceptUrn(dimension.Id));
                json.WriteStartObject("localRepresentation");
                json.WriteString("enumeration", CodelistUrn(dimension.CodelistId, structure.Version));
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("timeDimensions");
            json.WriteStartObject();
            json.WriteString("id", SdmxStructure.TimeDimension);
            json.WriteNumber("position", structure.Dimensions.Count);
            json.WriteString("conceptIdentity", ConceptUrn(SdmxStructure.TimeDimension));
            json.WriteStartObject("localRepresentation");
            json.WriteStartObject("format");
            json.WriteString("dataType", "ObservationalTimePeriod");
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartObject("attributeList");
            json.WriteString("id", "AttributeDescriptor");
            json.WriteStartArray("attributes");
            foreach (var (id, codelist) in new[] { (SdmxStructure.ObsStatus, "CL_OBS_STATUS"), (SdmxStructure.ConfStatus, "CL_CONF_STATUS") })
            {
                json.WriteStartObject();
                json.WriteString("id", id);
                json.WriteString("usage", "mandatory");
                json.WriteStartObject("attributeRelationship");
                json.WriteStartObject("observation");
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteString("conceptIdentity", ConceptUrn(id));
                json.WriteStartObject("localRepresentation");
                json.WriteString("enumeration", CodelistUrn(codelist, structure.Version));
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartObject("measureList");
            json.WriteString("id", "MeasureDescriptor");
            json.WriteStartArray("measures");
            json.WriteStartObject();
            json.WriteString("id", SdmxStructure.Measure);
            json.WriteString("conceptIdentity", ConceptUrn(SdmxStructure.Measure));
            json.WriteString("usage", "optional");
            json.WriteStartObject("localRepresentation");
            json.WriteStartObject("format");
            json.WriteString("dataType", "Long");
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();

            json.WriteStartArray("dataflows");
            json.WriteStartObject();
            Artefact(json, structure.DataflowId, structure.Version, structure.Schema.Title);
            json.WriteString("structure", $"urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure={SdmxStructure.Agency}:{structure.DataStructureId}({structure.Version})");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void Artefact(Utf8JsonWriter json, string id, string version, string name)
    {
        json.WriteString("id", id);
        json.WriteString("agencyID", SdmxStructure.Agency);
        json.WriteString("version", version);
        json.WriteString("name", name);
        json.WriteStartObject("names");
        json.WriteString("fr", name);
        json.WriteEndObject();
    }

    private static string ConceptUrn(string id) =>
        $"urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept={SdmxStructure.Agency}:{ConceptScheme}({SchemeVersion}).{id}";

    private static string CodelistUrn(string id, string version) =>
        $"urn:sdmx:org.sdmx.infomodel.codelist.Codelist={SdmxStructure.Agency}:{id}({version})";
}
