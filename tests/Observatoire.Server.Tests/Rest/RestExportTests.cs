using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Observatoire.Protos.V1;
using ReportingFrequency = Observatoire.Core.Registry.ReportingFrequency;

namespace Observatoire.Server.Tests.Rest;

/// <summary>The export of published figures over JSON: a stream of JSON chunks that reassemble into the very file gRPC sends.</summary>
public class RestExportTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private HttpClient Client(string? key = ServerFixture.AdminKey) => server.CreateRestClient(key);

    [Fact]
    public async Task An_sdmx_csv_export_over_json_reassembles_into_the_grpc_file_with_its_checksum()
    {
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        foreach (var post in TestGrids.OpenPosts(ReportingFrequency.Month).Where(p => p.DepartmentCode == "33").Take(2))
        {
            await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2023")));
        }

        var request = new ExportFiguresRequest { Level = AreaLevel.Department, Period = "2023", Format = ExportFormat.SdmxCsv };
        var (grpcBytes, grpcSummary) = await GrpcExportAsync(request);

        var response = await Client().GetAsync("/v1/exports?level=AREA_LEVEL_DEPARTMENT&period=2023&format=EXPORT_FORMAT_SDMX_CSV");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (bytes, summary) = Reassemble(await response.Content.ReadAsStringAsync());
        Assert.Equal(grpcBytes, bytes);
        Assert.Equal(grpcSummary.FileName, summary.GetProperty("fileName").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), summary.GetProperty("sha256").GetString());
        Assert.Equal(bytes.Length, summary.GetProperty("bytes").GetInt64());
        Assert.StartsWith("STRUCTURE,STRUCTURE_ID,ACTION", Encoding.UTF8.GetString(bytes));
        Assert.Contains(",D33,", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public async Task An_export_without_a_key_is_401_and_an_unknown_format_is_400_in_json()
    {
        var anonymous = await Client(key: null).GetAsync("/v1/exports?level=AREA_LEVEL_NATIONAL&period=2023&format=EXPORT_FORMAT_CSV");
        var unknown = await Client().GetAsync("/v1/exports?level=AREA_LEVEL_NATIONAL&period=2023&format=EXPORT_FORMAT_PDF");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.StartsWith("application/json", unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_export_and_every_response_of_figures_registry_and_schema_are_described_in_french_in_the_openapi_document()
    {
        var response = await Client(key: null).GetAsync("/openapi/v1.json");

        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var export = document.GetProperty("paths").GetProperty("/v1/exports").GetProperty("get");
        Assert.StartsWith("Les chiffres publiés", export.GetProperty("summary").GetString());
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var reachable = ReachableSchemas(document, ["/v1/exports", "/v1/figures", "/v1/series", "/v1/comparisons", "/v1/completeness", "/v1/outliers",
            "/v1/schemas", "/v1/schemas/{version}", "/v1/regions", "/v1/departments", "/v1/posts", "/v1/posts/{id}"]);
        Assert.Superset(new HashSet<string> { "ReportChunk", "ReportSummary", "Figure", "Trend", "PostCompleteness", "Outlier", "AreaComparison", "Schema", "Rule", "Post", "Zone", "Department", "Region", "SchemaSummary" }, reachable);
        foreach (var name in reachable)
        {
            var schema = schemas.GetProperty(name);
            Assert.True(schema.TryGetProperty("description", out var about), $"{name} has no description");
            Assert.DoesNotContain(" the ", about.GetString());
            foreach (var property in schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject() : default)
            {
                // A reference carries the description of the schema it points to.
                if (!property.Value.TryGetProperty("$ref", out _))
                {
                    Assert.True(property.Value.TryGetProperty("description", out var description), $"{name}.{property.Name} has no description");
                    Assert.DoesNotContain(" the ", description.GetString());
                }
            }
        }

        var sha = schemas.GetProperty("ReportSummary").GetProperty("properties").GetProperty("sha256").GetProperty("description").GetString();
        Assert.Contains("empreinte", sha);
    }

    /// <summary>The schemas of the responses of these paths and every schema they refer to, well-known protobuf types left out.</summary>
    private static HashSet<string> ReachableSchemas(JsonElement document, string[] paths)
    {
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var found = new HashSet<string>();
        var pending = new Stack<JsonElement>(paths.Select(p => document.GetProperty("paths").GetProperty(p).GetProperty("get").GetProperty("responses").GetProperty("200")));
        while (pending.Count > 0)
        {
            var element = pending.Pop();
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "$ref" && property.Value.GetString()!.Split('/')[^1] is var name
                        && name is not ("Any" or "Status" or "Struct" or "Value" or "ListValue" or "NullValue" or "KindOneofCase") && found.Add(name))
                    {
                        pending.Push(schemas.GetProperty(name));
                    }
                    else
                    {
                        pending.Push(property.Value);
                    }
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    pending.Push(item);
                }
            }
        }

        return found;
    }

    /// <summary>The body is newline-delimited JSON, one object per chunk: the data in order, then the summary.</summary>
    private static (byte[] Bytes, JsonElement Summary) Reassemble(string body)
    {
        using var file = new MemoryStream();
        JsonElement? summary = null;
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.Null(summary);
            var root = JsonDocument.Parse(line).RootElement;
            if (root.TryGetProperty("data", out var data))
            {
                file.Write(data.GetBytesFromBase64());
            }
            else
            {
                summary = root.GetProperty("summary").Clone();
            }
        }

        return (file.ToArray(), summary ?? throw new InvalidDataException("No summary in the stream."));
    }

    private Task<(byte[] Bytes, ReportSummary Summary)> GrpcExportAsync(ExportFiguresRequest request) =>
        ReportChunks.ReadAsync(new ReportService.ReportServiceClient(server.CreateChannel()).ExportFigures(request));
}
