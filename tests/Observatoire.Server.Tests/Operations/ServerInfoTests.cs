using Grpc.Core;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Operations;

/// <summary>The server says which version it is and which clients it serves, to anyone, without a key.</summary>
public class ServerInfoTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task The_server_reports_its_build_version_and_minimum_client_without_a_key()
    {
        var info = await new ServerInfoService.ServerInfoServiceClient(server.CreateChannel(apiKey: null)).GetServerInfoAsync(new GetServerInfoRequest());

        var built = typeof(ObservatoireOptions).Assembly.GetName().Version!;
        Assert.Equal(built.ToString(3), info.Version);
        Assert.True(Version.Parse(info.MinimumClientVersion) <= Version.Parse(info.Version), info.ToString());
    }

    [Fact]
    public async Task The_minimum_client_version_can_be_raised_by_configuration_and_a_bad_one_stops_the_start()
    {
        using var raised = new ServerFixture();
        raised.Settings["Observatoire:MinimumClientVersion"] = "7.1.0";
        var info = await new ServerInfoService.ServerInfoServiceClient(raised.CreateChannel(apiKey: null)).GetServerInfoAsync(new GetServerInfoRequest());
        Assert.Equal("7.1.0", info.MinimumClientVersion);

        using var wrong = new ServerFixture();
        wrong.Settings["Observatoire:MinimumClientVersion"] = "bientôt";
        var error = await Assert.ThrowsAnyAsync<Exception>(() => new ServerInfoService.ServerInfoServiceClient(wrong.CreateChannel(apiKey: null)).GetServerInfoAsync(new GetServerInfoRequest()).ResponseAsync);
        Assert.Contains("MinimumClientVersion", error is RpcException rpc ? rpc.Status.Detail : error.ToString());
    }
}
