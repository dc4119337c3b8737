using System.Globalization;
using System.Text.Json;

namespace Observatoire.Core.Exports;

/// <summary>The opening of every SDMX-JSON 2.0 message this product writes: its schema and its "meta" header.</summary>
internal static class SdmxJsonMeta
{
    public static void Write(Utf8JsonWriter json, string schema, string messageId, DateTimeOffset prepared, string? senderName)
    {
        json.WriteString("$schema", schema);
        json.WriteStartObject("meta");
        json.WriteString("id", messageId);
        json.WriteString("prepared", prepared.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        json.WriteBoolean("test", false);
        json.WriteStartArray("contentLanguages");
        json.WriteStringValue("fr");
        json.WriteEndArray();
        json.WriteStartObject("sender");
        json.WriteString("id", SdmxStructure.Agency);
        if (senderName is not null)
        {
            json.WriteString("name", senderName);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
