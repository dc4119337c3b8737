extern alias server;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Registry;
using Observatoire.Core.Schemas;
using Observatoire.Simulation;
using server::Observatoire.Server.Aggregates;
using server::Observatoire.Server.Grpc;
using server::Observatoire.Server.Infrastructure;
using server::Observatoire.Server.Reports;
using server::Observatoire.Server.Telemetry;
using Api = Observatoire.Protos.V1;

namespace Observatoire.Benchmarks.Reports;

/// <summary>
/// A national year in process, as the server holds it: the benchmark's registry of the target number of posts
/// (<see cref="Consolidation.ConsolidationBenchmark.BuildRegistry"/>), a year of grids from the simulator (realistic
/// counts, every cell from the served schema, 3 % missing, 10 % late, yearly bilans), applied to the server's
/// <see cref="ConsolidationState"/>; and the server's own report services wired as it wires them (published figures
/// with disclosure control, chart builder, annual report builder).
/// </summary>
internal sealed class ReportData : IDisposable
{
    private readonly ServiceProvider _services;

    private ReportData(ServiceProvider services, int grids, int posts)
    {
        _services = services;
        Grids = grids;
        Posts = posts;
    }

    /// <summary>Grids in the cube.</summary>
    public int Grids { get; }

    /// <summary>Posts of the registry.</summary>
    public int Posts { get; }

    /// <summary>The server's annual report builder over these figures.</summary>
    public AnnualReportBuilder Reports => _services.GetRequiredService<AnnualReportBuilder>();

    /// <summary>The clock the server dates its PDFs by.</summary>
    public TimeProvider Clock => _services.GetRequiredService<TimeProvider>();

    public static ReportData Build(int targetPosts, int year)
    {
        var catalog = SchemaCatalog.LoadEmbedded();
        var registry = Consolidation.ConsolidationBenchmark.BuildRegistry(targetPosts);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(catalog);
        services.AddOptions<ConsolidationOptions>();
        services.AddSingleton<ConsolidationState>();
        services.AddSingleton<StorageHealth>();
        services.AddSingleton<ObservatoireMetrics>();
        services.AddSingleton<SecrecyPlanningEvents>();
        services.AddSingleton<PublishedFigures>();
        services.AddSingleton<ChartBuilder>();
        services.AddSingleton<AnnualReportBuilder>();
        var provider = services.BuildServiceProvider();

        var state = provider.GetRequiredService<ConsolidationState>();
        state.Initialize(registry);
        var grids = 0;
        foreach (var grid in Simulate(catalog, registry, year))
        {
            state.Cube.Apply(grid);
            grids++;
        }

        return new ReportData(provider, grids, registry.Posts.Count);
    }

    /// <summary>The simulator's year for the registry's posts, as cube grids (cells placed by their keys in the schema's layout).</summary>
    private static IEnumerable<CubeGrid> Simulate(SchemaCatalog catalog, RegistrySnapshot registry, int year)
    {
        var schema = catalog.All.Last(s => s.ValidFrom <= new DateOnly(year, 12, 31));
        var posts = registry.Posts.Values.Select(p => new Api.Post
        {
            Id = p.Id,
            Name = p.Name,
            DepartmentCode = p.DepartmentCode,
            RegionCode = registry.Departments[p.DepartmentCode].RegionCode,
            Zone = p.Zone switch
            {
                Zone.Police => Api.Zone.Police,
                Zone.Gendarmerie => Api.Zone.Gendarmerie,
                _ => Api.Zone.Mixte,
            },
            Fte = p.Fte,
            Frequency = ProtoMapping.ToProto(p.Frequency),
            ActiveFrom = ProtoMapping.Iso(p.ActiveFrom),
            ActiveTo = p.ActiveTo is { } to ? ProtoMapping.Iso(to) : "",
        });
        var departments = registry.Departments.Values.Select(d => new Api.Department
        {
            Code = d.Code,
            Name = d.Name,
            RegionCode = d.RegionCode,
            Population = d.Population,
            Latitude = d.Latitude,
            Longitude = d.Longitude,
        });
        var simulator = new GridSimulator(posts, departments, new SimulationSchema(ProtoMapping.ToProto(schema)), new SimulationOptions
        {
            Year = year,
            Now = new DateTimeOffset(year + 1, 6, 30, 0, 0, 0, TimeSpan.Zero),
            Seed = year,
        });
        foreach (var simulated in simulator.Run().Sent)
        {
            var layout = catalog.Find(simulated.Grid.SchemaVersion)!.Layout;
            var cells = new int[layout.Count];
            foreach (var (key, value) in simulated.Grid.Values)
            {
                var canonical = CellKey.TryParse(key, out var parsed) ? CellKey.Format(parsed.Indicator, parsed.Coordinates) : key;
                cells[layout.IndexOf(canonical)] = checked((int)value);
            }

            var at = simulated.ReceivedAt!.Value.UtcDateTime;
            yield return new CubeGrid(simulated.Grid.PostId, Period.Parse(simulated.Grid.Period), simulated.Grid.SchemaVersion, cells, 1, at, at);
        }
    }

    public void Dispose() => _services.Dispose();
}
