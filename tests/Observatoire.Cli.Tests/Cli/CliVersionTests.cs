using Observatoire.Cli;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Cli;

/// <summary>One version for client and server, and a client older than the server's minimum told to update.</summary>
public class CliVersionTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CliSettings As(string version) => new()
    {
        RetryDelays = [],
        ClientVersion = version,
        GetEnvironmentVariable = name => name == CliSettings.ApiKeyEnvironmentVariable ? ServerFixture.AdminKey : Environment.GetEnvironmentVariable(name),
    };

    [Fact]
    public async Task Version_prints_the_same_version_the_server_reports()
    {
        var run = await CliHarness.RunAsync(server, "--version");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var info = await new ServerInfoService.ServerInfoServiceClient(server.CreateChannel()).GetServerInfoAsync(new GetServerInfoRequest());
        Assert.Equal(info.Version, run.Output.Trim());
        Assert.Equal(ClientVersion.Current, info.Version);
    }

    [Fact]
    public async Task A_client_older_than_the_servers_minimum_is_told_in_french_and_sends_nothing()
    {
        var before = await server.CountRowsAsync();

        var run = await CliHarness.RunAsync(_ => server.CreateChannel(apiKey: null), As("0.9.0"), "submit", CliHarness.Example("P-01-001-2025-03.json"));

        Assert.Equal(ExitCodes.ClientTooOld, run.ExitCode);
        Assert.Contains("(version 0.9.0) est trop ancien", run.Error);
        Assert.Contains($"demande au moins la version {ClientVersion.Current}", run.Error);
        Assert.Contains("rien n'a été envoyé", run.Error);
        Assert.Equal(before, await server.CountRowsAsync());
    }

    [Fact]
    public async Task A_client_at_the_minimum_runs_and_local_verbs_never_ask_the_server()
    {
        var current = await CliHarness.RunAsync(_ => server.CreateChannel(apiKey: null), As(ClientVersion.Current), "validate", CliHarness.Example("P-01-001-2025-03.json"));
        Assert.True(current.ExitCode == ExitCodes.Success, current.ToString());

        var outbox = await CliHarness.RunAsync(_ => throw new InvalidOperationException("aucun appel attendu"), As("0.1.0"), "outbox");
        Assert.True(outbox.ExitCode == ExitCodes.Success, outbox.ToString());
        var help = await CliHarness.RunAsync(_ => throw new InvalidOperationException("aucun appel attendu"), As("0.1.0"), "submit", "--help");
        Assert.True(help.ExitCode == ExitCodes.Success, help.ToString());
    }

    [Fact]
    public async Task An_unreachable_server_skips_the_check_and_the_command_reports_it_as_before()
    {
        var run = await CliHarness.RunAsync(
            _ => global::Grpc.Net.Client.GrpcChannel.ForAddress("http://127.0.0.1:9"),
            As("0.1.0"),
            "schema");

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Contains("Serveur injoignable", run.Error);
    }
}
