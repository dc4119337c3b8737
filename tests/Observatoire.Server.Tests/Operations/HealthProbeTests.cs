using Grpc.Health.V1;
using Observatoire.Server.Operations;

namespace Observatoire.Server.Tests.Operations;

/// <summary>The container healthcheck: the server binary asks the gRPC health service of a running server.</summary>
public class HealthProbeTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task The_probe_reads_serving_from_a_ready_server_and_unknown_from_none()
    {
        // The first call of a fresh in-process server (cold code paths, on a loaded machine) may outlast the probe's
        // 5-second deadline: asked once without it, then by the probe.
        var direct = await new Health.HealthClient(server.CreateChannel(apiKey: null)).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, direct.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await HealthProbe.CheckAsync(server.CreateChannel(apiKey: null), CancellationToken.None));

        using var nowhere = global::Grpc.Net.Client.GrpcChannel.ForAddress("http://127.0.0.1:9");
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Unknown, await HealthProbe.CheckAsync(nowhere, CancellationToken.None));
        using var output = new StringWriter();
        Assert.Equal(1, await HealthProbe.RunAsync([HealthProbe.Verb, "http://127.0.0.1:9"], output));
    }

    [Theory]
    [InlineData(null, "http://127.0.0.1:5000")]
    [InlineData("http://+:8080", "http://127.0.0.1:8080")]
    [InlineData("https://0.0.0.0:5001;http://*:5002", "https://127.0.0.1:5001")]
    [InlineData("http://[::]:7000", "http://127.0.0.1:7000")]
    [InlineData("http://localhost:5000", "http://localhost:5000")]
    public void The_probe_asks_the_first_listening_address_on_loopback(string? urls, string expected) =>
        Assert.Equal(expected, HealthProbe.LoopbackOf(urls));
}
