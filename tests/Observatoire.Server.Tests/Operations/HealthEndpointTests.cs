using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Observatoire.Protos.V1;
using Observatoire.Server.Operations;
using Observatoire.Soak;

namespace Observatoire.Server.Tests.Operations;

/// <summary>Liveness and readiness on the management endpoint of a real server process, and the gRPC health service with them.</summary>
[Collection(ChildServerCollection.Name)]
public class HealthEndpointTests
{
    private const string ApiKey = "obs_healthtest00_health-endpoint-test-admin-key-0123456789";

    [Fact]
    public async Task Readiness_follows_the_database_file_while_liveness_stays_true()
    {
        var directory = Directory.CreateTempSubdirectory("observatoire-health-").FullName;
        var database = Path.Combine(directory, "health.db");
        try
        {
            await using var server = await ChildServer.StartAsync(ChildServer.LocateServerDll(), database, ApiKey, TimeSpan.FromSeconds(180));
            using var http = new HttpClient { BaseAddress = server.ManagementAddress };
            var health = new Health.HealthClient(server.CreateChannel());

            using var output = new StringWriter();
            Assert.Equal(0, await HealthProbe.RunAsync([HealthProbe.Verb, new Uri(server.ManagementAddress, "/health/ready").ToString()], output));
            var ready = await http.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains("\"database\"", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // The file goes away under the running server: not ready, still alive, and gRPC health says the same.
            File.Move(database, database + ".ailleurs");
            var gone = await http.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, gone.StatusCode);
            Assert.Contains("disparu", await gone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
            Assert.Equal(1, await HealthProbe.RunAsync([HealthProbe.Verb, new Uri(server.ManagementAddress, "/health/ready").ToString()], output));
            Assert.Equal(0, await HealthProbe.RunAsync([HealthProbe.Verb, new Uri(server.ManagementAddress, "/health/live").ToString()], output));
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);

            // The same file back: ready again.
            File.Move(database + ".ailleurs", database);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task During_the_start_up_phase_the_server_is_alive_not_ready_and_answers_unavailable_until_the_cube_is_loaded()
    {
        var directory = Directory.CreateTempSubdirectory("observatoire-startup-").FullName;
        var hold = Path.Combine(directory, "retenir-le-chargement");
        File.WriteAllText(hold, "");
        try
        {
            // The test-only setting holds the start-up before the cube load while the file exists.
            await using var server = await ChildServer.StartAsync(
                ChildServer.LocateServerDll(),
                Path.Combine(directory, "startup.db"),
                ApiKey,
                TimeSpan.FromSeconds(180),
                settings: new Dictionary<string, string> { ["Testing:HoldCubeLoadWhileFileExists"] = hold },
                aliveOnly: true);
            using var http = new HttpClient { BaseAddress = server.ManagementAddress };
            using var channel = server.CreateChannel();
            var health = new Health.HealthClient(channel);

            // The ports are open before the data: alive, not ready, and the API says so with UNAVAILABLE (503), never INTERNAL.
            var notReady = await WaitForReadinessAsync(http, body => body.Contains("chargement du cube", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.Status);
            Assert.Contains("démarrage : chargement du cube", notReady.Body, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
            var call = await Assert.ThrowsAsync<RpcException>(() => new SchemaService.SchemaServiceClient(channel).ListSchemasAsync(new ListSchemasRequest()).ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, call.StatusCode);
            Assert.Contains("Le serveur démarre", call.Status.Detail, StringComparison.Ordinal);
            var info = await new ServerInfoService.ServerInfoServiceClient(channel).GetServerInfoAsync(new GetServerInfoRequest());
            Assert.NotEmpty(info.Version);

            using var rest = new HttpClient { BaseAddress = server.Address, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
            rest.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiKey);
            var restAnswer = await rest.GetAsync("/v1/schemas");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, restAnswer.StatusCode);
            Assert.Contains("\"code\":14", await restAnswer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var pages = new HttpClient { BaseAddress = server.WebAddress };
            var page = await pages.GetAsync("/connexion");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.Contains("Le serveur démarre", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // Released: ready, liveness true all along, and the API answers.
            File.Delete(hold);
            var ready = await WaitForReadinessAsync(http, _ => false, alive: true);
            Assert.Equal(HttpStatusCode.OK, ready.Status);
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
            Assert.NotEmpty((await new SchemaService.SchemaServiceClient(channel).ListSchemasAsync(new ListSchemasRequest())).Schemas);
            Assert.Equal(HttpStatusCode.OK, (await pages.GetAsync("/connexion")).StatusCode);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// Asks /health/ready until it answers 200 or a body <paramref name="until"/> accepts (at most three minutes, for a
    /// loaded machine); with <paramref name="alive"/>, checks at each turn that liveness stays 200.
    /// </summary>
    private static async Task<(HttpStatusCode Status, string Body)> WaitForReadinessAsync(HttpClient http, Func<string, bool> until, bool alive = false)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            using var answer = await http.GetAsync("/health/ready");
            var body = await answer.Content.ReadAsStringAsync();
            if (answer.StatusCode == HttpStatusCode.OK || until(body) || DateTime.UtcNow > deadline)
            {
                return (answer.StatusCode, body);
            }

            if (alive)
            {
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
            }

            await Task.Delay(100);
        }
    }
}
