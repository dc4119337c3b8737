using System.Net;
using Grpc.Health.V1;
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
}
