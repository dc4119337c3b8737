using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Observatoire.Server.Tests.Rest;

/// <summary>The per-key rate limit answers a REST caller as it answers a gRPC one: 429 with the JSON status and retry-after.</summary>
public sealed class RestRateLimitTests : IDisposable
{
    private readonly ServerFixture _server = new() { Settings = { ["Security:RateLimitPermits"] = "2", ["Security:RateLimitWindowSeconds"] = "3600" } };

    [Fact]
    public async Task Beyond_the_limit_a_rest_call_is_429_with_a_json_status_and_when_to_retry()
    {
        var client = _server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServerFixture.AdminKey);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await client.GetAsync("/v1/regions"));
        }

        Assert.Equal(HttpStatusCode.OK, answers[0].StatusCode);
        Assert.Equal((HttpStatusCode)429, answers[2].StatusCode);
        Assert.True(answers[2].Headers.Contains("retry-after"));
        var body = JsonDocument.Parse(await answers[2].Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(8, body.GetProperty("code").GetInt32());
        Assert.Contains("Trop d'appels", body.GetProperty("message").GetString());
    }

    public void Dispose() => _server.Dispose();
}
