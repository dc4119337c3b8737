using Grpc.Health.V1;
using Observatoire.Protos.V1;
using Observatoire.Soak;

namespace Observatoire.Server.Tests;

/// <summary>
/// The listening address is set as in any ASP.NET Core application (--urls, ASPNETCORE_URLS), not silently
/// overridden by an endpoint in appsettings.json; HTTP/2 stays the default protocol.
/// </summary>
[Collection(ChildServerCollection.Name)]
public class ListeningAddressTests
{
    private const string ApiKey = "obs_listentest00_listening-address-test-admin-key-0123456789";

    [Theory]
    [InlineData(ListenWith.UrlsArgument)]
    [InlineData(ListenWith.UrlsEnvironment)]
    public async Task The_server_listens_where_the_operator_says_and_speaks_grpc_there(ListenWith listen)
    {
        var directory = Directory.CreateTempSubdirectory("observatoire-listen-").FullName;
        try
        {
            await using var server = await ChildServer.StartAsync(
                ChildServer.LocateServerDll(), Path.Combine(directory, "listen.db"), ApiKey, TimeSpan.FromSeconds(180), listen: listen);
            using var channel = server.CreateChannel();

            var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
            var schema = await new SchemaService.SchemaServiceClient(channel).GetSchemaAsync(new GetSchemaRequest());

            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
            Assert.False(string.IsNullOrEmpty(schema.Version));

            // Bound next to the web and management endpoints, the address is not said to be overridden.
            Assert.DoesNotContain("Overriding address", server.RecentOutput);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
