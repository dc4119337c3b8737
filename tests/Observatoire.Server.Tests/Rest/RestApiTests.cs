using System.Net;
using System.Text.Json;
using Google.Protobuf;
using Observatoire.Protos.V1;
using ReportingFrequency = Observatoire.Core.Registry.ReportingFrequency;

namespace Observatoire.Server.Tests.Rest;

/// <summary>
/// The read services over JSON (gRPC JSON transcoding) through a plain HttpClient on the in-process server:
/// the same figures, keys, rights and errors as over gRPC, and the OpenAPI document generated from the protos.
/// </summary>
public class RestApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    private HttpClient Client(string? key = ServerFixture.AdminKey) => server.CreateRestClient(key);

    private async Task SubmitYearOfDepartmentAsync(string department, string year)
    {
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        var posts = TestGrids.OpenPosts(ReportingFrequency.Month).Where(p => p.DepartmentCode == department).Take(2);
        foreach (var post in posts)
        {
            await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, year)));
        }
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response)
    {
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task Consolidated_figures_over_json_are_the_grpc_figures_with_secret_cells_without_value()
    {
        await SubmitYearOfDepartmentAsync("33", "2023");
        var grpc = await new AggregateService.AggregateServiceClient(server.CreateChannel()).ConsolidateAsync(
            new ConsolidateRequest { Area = new Area { Level = AreaLevel.Department, Code = "33" }, Period = "2023" });

        var response = await Client().GetAsync("/v1/figures?area.level=AREA_LEVEL_DEPARTMENT&area.code=33&period=2023");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rest = Parser.Parse<ConsolidateResponse>(await response.Content.ReadAsStringAsync());
        Assert.Equal(grpc.Figures, rest.Figures);
        Assert.Equal(grpc.Area, rest.Area);
        Assert.Contains(rest.Figures, f => f.Confidentiality is Confidentiality.Suppressed);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        foreach (var figure in json.GetProperty("figures").EnumerateArray())
        {
            var secret = figure.GetProperty("confidentiality").GetString() is "CONFIDENTIALITY_PRIMARY" or "CONFIDENTIALITY_SECONDARY" or "CONFIDENTIALITY_SUPPRESSED";
            Assert.True(!secret || !figure.TryGetProperty("value", out _), $"secret cell {figure.GetProperty("cell")} carries a value");
        }
    }

    [Fact]
    public async Task Series_comparison_completeness_schema_and_registry_answer_over_json()
    {
        var client = Client();
        var series = Parser.Parse<GetSeriesResponse>(await client.GetStringAsync(
            "/v1/series?area.level=AREA_LEVEL_NATIONAL&cell=personnes_nouvelles&from=2023-01&to=2023-12&granularity=GRANULARITY_MONTH"));
        var comparison = Parser.Parse<CompareAreasResponse>(await client.GetStringAsync(
            "/v1/comparisons?area.level=AREA_LEVEL_NATIONAL&cell=personnes_nouvelles&period=2023"));
        var completeness = Parser.Parse<GetCompletenessResponse>(await client.GetStringAsync(
            "/v1/completeness?area.level=AREA_LEVEL_REGION&area.code=76&period=2023-03"));
        var schema = Parser.Parse<Schema>(await client.GetStringAsync("/v1/schemas/2025.1"));
        var schemaOfPeriod = Parser.Parse<Schema>(await client.GetStringAsync("/v1/schema?period=2025-03"));
        var schemas = Parser.Parse<ListSchemasResponse>(await client.GetStringAsync("/v1/schemas"));
        var departments = Parser.Parse<ListDepartmentsResponse>(await client.GetStringAsync("/v1/departments?regionCode=76"));
        var regions = Parser.Parse<ListRegionsResponse>(await client.GetStringAsync("/v1/regions"));
        var post = TestGrids.MonthlyPost();
        var found = Parser.Parse<Post>(await client.GetStringAsync($"/v1/posts/{post.Id}"));

        Assert.Equal(12, series.Points.Count);
        Assert.Equal(18, comparison.Children.Count);
        Assert.Equal(13, completeness.Children.Count);
        Assert.Equal("2025.1", schema.Version);
        Assert.Equal("2025.1", schemaOfPeriod.Version);
        Assert.Contains(schemas.Schemas, s => s.Version == "2025.1");
        Assert.Equal(13, departments.Departments.Count);
        Assert.All(departments.Departments, d => Assert.Equal("76", d.RegionCode));
        Assert.Equal(18, regions.Regions.Count);
        Assert.Equal(post.DepartmentCode, found.DepartmentCode);
    }

    [Fact]
    public async Task A_call_without_a_key_is_401_with_a_french_json_status()
    {
        var response = await Client(key: null).GetAsync("/v1/regions");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await JsonOf(response);
        Assert.Equal(16, body.GetProperty("code").GetInt32());
        Assert.Contains("Authentification requise", body.GetProperty("message").GetString());

        // Written as transcoding writes the services' own errors: French as it is, not as \u escapes.
        Assert.Contains("« authorization: Bearer <clé> »", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_key_is_401()
    {
        var response = await Client("obs_inconnue00000_pas-une-vraie-cle-du-tout-0000000000").GetAsync("/v1/regions");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(16, (await JsonOf(response)).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task An_analyst_outside_its_scope_or_asking_raw_figures_is_403()
    {
        var client = Client(await server.AnalystKeyAsync("region:76"));

        var outside = await client.GetAsync("/v1/figures?area.level=AREA_LEVEL_DEPARTMENT&area.code=59&period=2023");
        var raw = await client.GetAsync("/v1/figures?area.level=AREA_LEVEL_DEPARTMENT&area.code=31&period=2023&disclosure=DISCLOSURE_RAW");
        var inside = await client.GetAsync("/v1/figures?area.level=AREA_LEVEL_DEPARTMENT&area.code=31&period=2023");

        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        Assert.Equal(7, (await JsonOf(outside)).GetProperty("code").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, raw.StatusCode);
        Assert.Equal(HttpStatusCode.OK, inside.StatusCode);
    }

    [Fact]
    public async Task A_post_key_may_not_read_the_registry_of_keys_nor_figures_of_other_posts()
    {
        var post = TestGrids.MonthlyPost(3);
        var other = TestGrids.MonthlyPost(4);
        var client = Client(await server.PostKeyAsync(post.Id));

        var own = await client.GetAsync($"/v1/figures?area.level=AREA_LEVEL_POST&area.code={post.Id}&period=2023&disclosure=DISCLOSURE_RAW");
        var foreign = await client.GetAsync($"/v1/figures?area.level=AREA_LEVEL_POST&area.code={other.Id}&period=2023&disclosure=DISCLOSURE_RAW");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
    }

    [Fact]
    public async Task A_bad_request_is_400_with_its_field_violations_in_json()
    {
        var response = await Client().GetAsync("/v1/figures?area.level=AREA_LEVEL_DEPARTMENT&area.code=33&period=2023-13");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await JsonOf(response);
        Assert.Equal(3, body.GetProperty("code").GetInt32());
        var detail = Assert.Single(body.GetProperty("details").EnumerateArray());
        Assert.Equal("type.googleapis.com/google.rpc.BadRequest", detail.GetProperty("@type").GetString());
        var violation = detail.GetProperty("fieldViolations")[0];
        Assert.Equal("period", violation.GetProperty("field").GetString());
        Assert.False(string.IsNullOrWhiteSpace(violation.GetProperty("description").GetString()));
    }

    [Theory]
    [InlineData("/v1/figures?area.level=foo&period=2025", "area.level", "AREA_LEVEL_NATIONAL")]
    [InlineData("/v1/figures?area.level=AREA_LEVEL_NATIONAL&period=2025&disclosure=99", "disclosure", "DISCLOSURE_PUBLICATION")]
    [InlineData("/v1/figures?area.level=AREA_LEVEL_NATIONAL&period=2025&excludePartial=maybe", "excludePartial", "true ou false")]
    [InlineData("/v1/figures?area.level=AREA_LEVEL_NATIONAL&period=2025&asOf=2026-02-30T00:00:00Z", "asOf", "RFC 3339")]
    [InlineData("/v1/figures?area.level=AREA_LEVEL_NATIONAL&period=2025&as_of=abc", "as_of", "RFC 3339")]
    [InlineData("/v1/figures?area.level=AREA_LEVEL_NATIONAL&period=2025&asof=2026-03-31T12:00:00Z", "asof", "inconnu à cette adresse ; paramètres acceptés : area.level, area.code, period")]
    [InlineData("/v1/figures?area.level=AREA_LEVEL_NATIONAL&period=2025&period=2024", "period", "donné 2 fois")]
    public async Task A_query_parameter_the_transcoding_cannot_read_is_refused_in_french_naming_it(string url, string parameter, string expected)
    {
        var response = await Client().GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await JsonOf(response);
        Assert.Equal(3, body.GetProperty("code").GetInt32());
        var message = body.GetProperty("message").GetString()!;
        Assert.StartsWith($"Paramètre « {parameter} »", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        var violation = Assert.Single(body.GetProperty("details").EnumerateArray()).GetProperty("fieldViolations")[0];
        Assert.Equal(parameter, violation.GetProperty("field").GetString());

        // Compact JSON with French as it is, as transcoding writes the services' own errors.
        var raw = await response.Content.ReadAsStringAsync();
        Assert.StartsWith($"{{\"code\":3,\"message\":\"Paramètre « {parameter} »", raw, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/v1/regions")]
    [InlineData("DELETE", "/v1/posts/P-01-001")]
    [InlineData("PUT", "/v1/editions/2025-national/revisions")]
    [InlineData("HEAD", "/v1/figures")]
    public async Task A_rest_address_asked_with_another_method_is_405_naming_the_one_it_takes(string method, string url)
    {
        var response = await Client().SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET"], response.Content.Headers.Allow);
        if (method != "HEAD")
        {
            var body = await JsonOf(response);
            Assert.Equal(12, body.GetProperty("code").GetInt32());
            Assert.Equal($"La méthode {method} n'est pas acceptée à cette adresse : GET seulement.", body.GetProperty("message").GetString());
        }

        // An address no route has is still 404, whatever the method.
        Assert.Equal(HttpStatusCode.NotFound, (await Client().SendAsync(new HttpRequestMessage(new HttpMethod(method), "/v1/rien"))).StatusCode);
    }

    [Fact]
    public async Task Values_the_transcoding_reads_pass_the_query_check()
    {
        foreach (var url in new[]
        {
            "/v1/figures?area.level=AREA_LEVEL_NATIONAL&period=2025&disclosure=DISCLOSURE_PUBLICATION&excludePartial=true",
            "/v1/figures?area.level=1&period=2025&exclude_partial=False&asOf=2026-03-31T12:00:00Z",
            "/v1/figures?area.level=AREA_LEVEL_NATIONAL&period=2025&as_of=2026-03-31T12:00:00.5%2B02:00&cells=entretiens&cells=personnes_recues",
        })
        {
            var response = await Client().GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Theory]
    [InlineData("/v1/figures?area.level=AREA_LEVEL_NOPE&period=2023")]
    [InlineData("/v1/figures?area.level=99&period=2023")]
    [InlineData("/v1/figures?excludePartial=peut-etre&period=2023")]
    [InlineData("/v1/series?granularity=GRANULARITY_MONTH&from=2023-01&to=9999-12&cell=personnes_nouvelles")]
    [InlineData("/v1/posts/%E2%80%AE%F0%9F%92%A5%20%27%3B--")]
    public async Task Hostile_queries_are_client_errors_never_server_errors(string url)
    {
        var response = await Client().GetAsync(url);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.True((await JsonOf(response)).TryGetProperty("code", out _));
    }

    [Fact]
    public async Task The_openapi_document_is_served_without_a_key_with_the_french_proto_comments()
    {
        var response = await Client(key: null).GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await JsonOf(response);
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/v1/figures", "/v1/series", "/v1/comparisons", "/v1/completeness", "/v1/schemas", "/v1/schemas/{version}", "/v1/regions", "/v1/departments", "/v1/posts", "/v1/posts/{id}" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} missing from the OpenAPI document");
        }

        var consolidate = paths.GetProperty("/v1/figures").GetProperty("get");
        Assert.StartsWith("Le tableau consolidé", consolidate.GetProperty("summary").GetString());
        var period = consolidate.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "period");
        Assert.Contains("trimestre", period.GetProperty("description").GetString());
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("cle", out _));
        Assert.False(paths.TryGetProperty("/v1/grids", out _));
    }

    [Fact]
    public async Task The_browsable_page_is_served_locally_without_any_cdn()
    {
        var client = Client(key: null);
        var page = await client.GetStringAsync("/api/index.html");
        var script = await client.GetAsync("/api/swagger-ui-bundle.js");

        Assert.Contains("swagger-ui", page);
        Assert.DoesNotContain("cdn", page, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        var initializer = await client.GetStringAsync("/api/index.js");
        Assert.Contains("/openapi/v1.json", initializer);
    }
}
