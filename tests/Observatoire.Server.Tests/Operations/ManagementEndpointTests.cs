using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Observatoire.Protos.V1;
using Observatoire.Soak;

namespace Observatoire.Server.Tests.Operations;

/// <summary>
/// The management endpoint of a real server process (Kestrel, its own loopback port): the Prometheus scrape with the
/// domain metrics, the health probes, and nothing of it on the gRPC or web ports.
/// </summary>
[Collection(ChildServerCollection.Name)]
public sealed class ManagementEndpointTests : IClassFixture<ManagementEndpointTests.Server>
{
    private readonly Server _server;

    public ManagementEndpointTests(Server server) => _server = server;

    [Fact]
    public async Task A_scrape_shows_the_domain_metrics_and_they_move_with_submissions()
    {
        var child = _server.Child;
        using var http = new HttpClient { BaseAddress = child.ManagementAddress };
        var before = new PrometheusText(await http.GetStringAsync("/metrics"));
        var grids = new GridService.GridServiceClient(child.CreateChannel());
        var post = TestGrids.MonthlyPost(3).Id;

        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2025-04")));
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2025-05", comment: "écrire à jean.martin@orange.fr"))).ResponseAsync);
        var after = new PrometheusText(await http.GetStringAsync("/metrics"));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(1, after.Sum("observatoire_grids_accepted_total", ("outcome", "created")) - before.Sum("observatoire_grids_accepted_total", ("outcome", "created")));
        Assert.Equal(1, after.Sum("observatoire_grids_refused_total", ("rule", "ANONYMAT_EMAIL")) - before.Sum("observatoire_grids_refused_total", ("rule", "ANONYMAT_EMAIL")));
        Assert.Equal(1, after.Sum("observatoire_cube_grids") - before.Sum("observatoire_cube_grids"));
        Assert.True(after.Sum("observatoire_cube_cells") > before.Sum("observatoire_cube_cells"));
        Assert.True(after.Sum("observatoire_cube_last_update_timestamp_seconds") > before.Sum("observatoire_cube_last_update_timestamp_seconds"));
        Assert.True(after.Sum("observatoire_ingest_batch_size_count") > before.Sum("observatoire_ingest_batch_size_count"));
        Assert.True(after.Sum("observatoire_ingest_commit_duration_seconds_count") > before.Sum("observatoire_ingest_commit_duration_seconds_count"));
        Assert.True(after.Sum("observatoire_database_size_bytes") > 0);
        const string submit = "/observatoire.v1.GridService/SubmitGrid";
        Assert.Equal(1, after.Sum("observatoire_rpc_server_duration_seconds_count", ("rpc_method", submit), ("rpc_grpc_status", "OK"))
            - before.Sum("observatoire_rpc_server_duration_seconds_count", ("rpc_method", submit), ("rpc_grpc_status", "OK")));
        Assert.Equal(1, after.Sum("observatoire_rpc_server_duration_seconds_count", ("rpc_method", submit), ("rpc_grpc_status", "INVALID_ARGUMENT"))
            - before.Sum("observatoire_rpc_server_duration_seconds_count", ("rpc_method", submit), ("rpc_grpc_status", "INVALID_ARGUMENT")));
        Assert.True(after.Has("http_server_request_duration_seconds_count"));
    }

    [Fact]
    public async Task A_grid_refused_because_its_period_is_closed_is_counted_under_its_own_code()
    {
        var child = _server.Child;
        using var http = new HttpClient { BaseAddress = child.ManagementAddress };
        var post = TestGrids.MonthlyPost(5).Id;
        using var admin = child.CreateChannel();
        var key = (await new AdminService.AdminServiceClient(admin).CreateKeyAsync(new CreateKeyRequest { Role = Role.Poste, PostIds = { post } })).Key;
        using var postChannel = global::Grpc.Net.Client.GrpcChannel.ForAddress(child.Address, new global::Grpc.Net.Client.GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("authorization", $"Bearer {key}");
                return Task.CompletedTask;
            })),
            UnsafeUseInsecureChannelCallCredentials = true,
        });
        var before = new PrometheusText(await http.GetStringAsync("/metrics"));

        // 2021-01 closed long ago (Campaigns:CloseAfterDays, 60 by default): refused to the post, not to the admin.
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            new GridService.GridServiceClient(postChannel).SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2021-01"))).ResponseAsync);
        var after = new PrometheusText(await http.GetStringAsync("/metrics"));

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal(1, after.Sum("observatoire_grids_refused_total", ("rule", "SAISIE_CLOSE")) - before.Sum("observatoire_grids_refused_total", ("rule", "SAISIE_CLOSE")));
        Assert.Equal(after.Sum("observatoire_grids_accepted_total"), before.Sum("observatoire_grids_accepted_total"));
    }

    [Fact]
    public async Task Reading_figures_and_drawing_a_chart_measure_the_cache_the_secrecy_planning_and_the_rendering()
    {
        var child = _server.Child;
        using var http = new HttpClient { BaseAddress = child.ManagementAddress };
        var grids = new GridService.GridServiceClient(child.CreateChannel());
        var aggregates = new AggregateService.AggregateServiceClient(child.CreateChannel());
        var post = TestGrids.MonthlyPost(4);
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2025-06")));
        var before = new PrometheusText(await http.GetStringAsync("/metrics"));

        var request = new ConsolidateRequest
        {
            Area = new Area { Level = AreaLevel.Department, Code = post.DepartmentCode },
            Period = "2025-06",
            Cells = { "personnes_recues" },
        };
        await aggregates.ConsolidateAsync(request);
        await aggregates.ConsolidateAsync(request);
        await new ReportService.ReportServiceClient(child.CreateChannel()).RenderChartAsync(new RenderChartRequest
        {
            Kind = ChartKind.TimeSeries,
            Area = request.Area,
            Period = "2025-06",
            From = "2025-01",
            Granularity = Granularity.Month,
            Cell = "personnes_recues",
            Format = ImageFormat.Svg,
        });
        var after = new PrometheusText(await http.GetStringAsync("/metrics"));

        Assert.True(after.Sum("observatoire_consolidation_cache_lookups_total", ("result", "miss")) > before.Sum("observatoire_consolidation_cache_lookups_total", ("result", "miss")));
        Assert.True(after.Sum("observatoire_consolidation_cache_lookups_total", ("result", "hit")) > before.Sum("observatoire_consolidation_cache_lookups_total", ("result", "hit")));
        Assert.True(after.Sum("observatoire_secrecy_planning_duration_seconds_count") > before.Sum("observatoire_secrecy_planning_duration_seconds_count"));
        Assert.Equal(1, after.Sum("observatoire_report_render_duration_seconds_count", ("kind", "chart")) - before.Sum("observatoire_report_render_duration_seconds_count", ("kind", "chart")));
    }

    [Fact]
    public async Task Metrics_and_health_answer_on_the_management_port_only_and_it_serves_nothing_else()
    {
        var child = _server.Child;
        using var management = new HttpClient { BaseAddress = child.ManagementAddress };
        using var web = new HttpClient { BaseAddress = child.WebAddress };
        using var grpcPort = new HttpClient { BaseAddress = child.Address, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        foreach (var path in new[] { "/metrics", "/health/live", "/health/ready" })
        {
            Assert.Equal(HttpStatusCode.OK, (await management.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await grpcPort.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/connexion")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync("/connexion")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await management.PostAsync("/grpc.health.v1.Health/Check", new ByteArrayContent([0, 0, 0, 0, 0]))).StatusCode);
    }

    /// <summary>One server process for the class (each start costs seconds).</summary>
    public sealed class Server : IAsyncLifetime
    {
        private const string ApiKey = "obs_managetest00_management-endpoint-test-admin-key-0123456789";

        private readonly string _directory = Directory.CreateTempSubdirectory("observatoire-management-").FullName;

        public ChildServer Child { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Child = await ChildServer.StartAsync(ChildServer.LocateServerDll(), Path.Combine(_directory, "management.db"), ApiKey, TimeSpan.FromSeconds(180));

        public async Task DisposeAsync()
        {
            await Child.DisposeAsync();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
