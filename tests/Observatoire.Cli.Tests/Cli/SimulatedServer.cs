using Observatoire.Cli;

namespace Observatoire.Server.Tests.Cli;

/// <summary>
/// A server filled by "observatoire simulate" for the departments 01 (two monthly posts, a quarterly and a yearly one)
/// and 09 (a yearly post), years 2024 and 2025, with generous missing and late shares so that every case shows.
/// </summary>
public sealed class SimulatedServer : IAsyncLifetime, IDisposable
{
    /// <summary>Seed of the simulation.</summary>
    public const long Seed = 3;

    /// <summary>Share of missing grids.</summary>
    public const double Missing = 0.15;

    /// <summary>Share of late grids.</summary>
    public const double Late = 0.25;

    /// <summary>Planted outliers per year.</summary>
    public const int Outliers = 2;

    /// <summary>The simulated years.</summary>
    public static readonly int[] Years = [2024, 2025];

    /// <summary>The server.</summary>
    public ServerFixture Server { get; } = new();

    /// <summary>The output of each simulate run, by year.</summary>
    public Dictionary<int, CliRun> Runs { get; } = [];

    /// <summary>The simulate command line of a year.</summary>
    public static string[] SimulateArgs(int year) =>
    [
        "simulate", "--year", year.ToString(), "--seed", Seed.ToString(),
        "--missing", Missing.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--late", Late.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--outliers", Outliers.ToString(), "--department", "01", "--department", "09",
    ];

    /// <summary>Runs the simulations.</summary>
    public async Task InitializeAsync()
    {
        foreach (var year in Years)
        {
            Runs[year] = await CliHarness.RunAsync(Server, SimulateArgs(year));
            if (Runs[year].ExitCode != ExitCodes.Success)
            {
                throw new InvalidOperationException($"La simulation {year} a échoué : {Runs[year]}");
            }
        }
    }

    /// <summary>Nothing to do: the server is disposed with the fixture.</summary>
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Stops the server and deletes its database.</summary>
    public void Dispose() => Server.Dispose();
}
