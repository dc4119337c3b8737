using System.Diagnostics;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Observatoire.Cli;
using Observatoire.Cli.Outbox;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Cli;

/// <summary>
/// A real observatoire process killed in the middle of a sync: after the server stored a grid, before the process
/// could remove it from the outbox. Nothing is lost and nothing is stored twice.
/// </summary>
public sealed class OutboxCrashTests
{
    [Fact]
    public async Task A_sync_process_killed_after_the_server_stored_a_grid_loses_nothing_and_stores_nothing_twice()
    {
        using var folder = CliHarness.TempFolder();
        var data = Path.Combine(folder.Path, "data");
        using var server = new ListeningServer();
        server.StartServer();
        var address = server.Address;

        // Two grids wait in the outbox, queued while the server was down.
        var post = TestGrids.MonthlyPost(13).Id;
        var files = new[] { "2025-04", "2025-05" }.Select(period => CliOutboxTests.WriteGrid(folder, TestGrids.Valid(post, period))).ToArray();
        var settings = new CliSettings
        {
            RetryDelays = [],
            GetEnvironmentVariable = name => name == GridOutbox.DataFolderEnvironmentVariable ? data : Environment.GetEnvironmentVariable(name),
        };
        var queued = await CliHarness.RunAsync(_ => GrpcChannel.ForAddress("http://127.0.0.1:9"), settings, ["--server", address, "--api-key", ServerFixture.AdminKey, "submit", .. files]);
        Assert.True(queued.ExitCode == ExitCodes.Unreachable, queued.ToString());
        var outbox = new GridOutbox(Path.Combine(data, "outbox"));
        Assert.Equal(2, outbox.Pending().Entries.Count);

        // The real command in its own process; the server kills it once it has stored the first grid, before answering.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "observatoire.dll"), "--server", address, "--api-key", ServerFixture.AdminKey, "sync" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[GridOutbox.DataFolderEnvironmentVariable] = data;
        using var child = Process.Start(start)!;
        server.Killer.Victim.SetResult(child);
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(server.Killer.Killed, $"le processus aurait dû être arrêté par le serveur : {child.ExitCode}\n{await output}\n{await error}");
        Assert.NotEqual(0, child.ExitCode);
        var client = new GridService.GridServiceClient(GrpcChannel.ForAddress(address).Intercept(metadata =>
        {
            metadata.Add("authorization", $"Bearer {ServerFixture.AdminKey}");
            return metadata;
        }));
        var stored = await client.ListRevisionsAsync(new ListRevisionsRequest { PostId = post, Period = "2025-04" });
        Assert.Single(stored.Revisions);

        // Both grids still wait: the first was stored, but the process died before removing it.
        Assert.Equal(2, outbox.Pending().Entries.Count);

        var sync = await CliHarness.RunAsync(_ => GrpcChannel.ForAddress(address), settings, ["--server", address, "--api-key", ServerFixture.AdminKey, "sync"]);

        Assert.True(sync.ExitCode == ExitCodes.Success, sync.ToString());
        Assert.Contains($"{post} · 2025-04 : acceptée (depuis la boîte d'envoi), révision 1 (déjà reçue)", sync.Output);
        Assert.Contains($"{post} · 2025-05 : acceptée (depuis la boîte d'envoi), révision 1", sync.Output);
        Assert.Empty(outbox.Pending().Entries);
        foreach (var period in new[] { "2025-04", "2025-05" })
        {
            var revisions = await client.ListRevisionsAsync(new ListRevisionsRequest { PostId = post, Period = period });
            Assert.Single(revisions.Revisions);
        }
    }

    /// <summary>Kills the client process once the server has handled its first submission, before answering it.</summary>
    public sealed class ClientKiller : Interceptor
    {
        public TaskCompletionSource<Process> Victim { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Killed { get; private set; }

        public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
            TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            var response = await continuation(request, context);
            if (request is SubmitGridRequest && !Killed)
            {
                // Said before the kill: the test wakes up as soon as the process is gone.
                Killed = true;
                var process = await Victim.Task;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            return response;
        }
    }

    /// <summary>The real server on a loopback port (Kestrel), on its own SQLite file.</summary>
    private sealed class ListeningServer : WebApplicationFactory<ObservatoireOptions>
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("observatoire-crash-tests-").FullName;

        public ListeningServer()
        {
            UseKestrel();
        }

        public ClientKiller Killer { get; } = new();

        public string Address => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:Observatoire", $"Data Source={Path.Combine(_directory, "observatoire.db")}");
            builder.UseSetting("Kestrel:Endpoints:Grpc:Url", "http://127.0.0.1:0");
            builder.UseSetting("Security:BootstrapAdminKey", ServerFixture.AdminKey);
            builder.UseSetting("Security:KeyHashIterations", "1000");
            builder.UseSetting("Security:BehindTlsProxy", "true");
            builder.UseSetting("Security:RateLimitPermits", "0");
            builder.UseSetting("Campaigns:CloseAfterDays", "0");
            builder.UseEnvironment("Testing");
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton(Killer);
                services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<ClientKiller>());
            });
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
    }
}
