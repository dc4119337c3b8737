using Grpc.Net.Client;
using Observatoire.Cli;
using Observatoire.Cli.Outbox;
using Spectre.Console;

namespace Observatoire.Server.Tests.Cli;

/// <summary>What one run of the observatoire command printed and returned.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>Output and error together.</summary>
    public string All => Output + Error;

    /// <summary>Lines of the output.</summary>
    public IReadOnlyList<string> Lines => Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

    /// <summary>Everything, for assertion messages.</summary>
    public override string ToString() => $"code {ExitCode}\n--- sortie ---\n{Output}\n--- erreurs ---\n{Error}";
}

/// <summary>Runs <see cref="CliApp"/> in process against the test server, with wide plain consoles.</summary>
public static class CliHarness
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    /// <summary>The repository root (the folder holding Observatoire.sln).</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>A file of examples/grids.</summary>
    public static string Example(string name) => Path.Combine(RepositoryRoot, "examples", "grids", name);

    /// <summary>Runs a command line against the fixture's server, as the administrator (OBSERVATOIRE_API_KEY is the fixture's admin key).</summary>
    public static Task<CliRun> RunAsync(ServerFixture server, params string[] args) =>
        RunWithKeyAsync(server, ServerFixture.AdminKey, args);

    /// <summary>Runs a command line with OBSERVATOIRE_API_KEY set to <paramref name="apiKey"/> (unset when null), on a channel without a key of its own.</summary>
    public static Task<CliRun> RunWithKeyAsync(ServerFixture server, string? apiKey, params string[] args) =>
        RunAsync(
            _ => server.CreateChannel(apiKey: null),
            new CliSettings { RetryDelays = [], GetEnvironmentVariable = name => name == CliSettings.ApiKeyEnvironmentVariable ? apiKey : Environment.GetEnvironmentVariable(name) },
            args);

    /// <summary>Runs a command line with the given channel factory and settings.</summary>
    public static async Task<CliRun> RunAsync(Func<string, GrpcChannel> channels, CliSettings? settings, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = PlainConsole(output);
        var errorConsole = PlainConsole(error);
        settings = settings is null
            ? new CliSettings
            {
                RetryDelays = [],
                ErrorConsole = errorConsole,

                // The tester's own OBSERVATOIRE_API_KEY must not leak into a test.
                GetEnvironmentVariable = name => name == CliSettings.ApiKeyEnvironmentVariable ? null : Environment.GetEnvironmentVariable(name),
            }
            : new CliSettings
            {
                RetryDelays = settings.RetryDelays,
                ErrorConsole = errorConsole,
                ShowProgress = settings.ShowProgress,
                ProgressThreshold = settings.ProgressThreshold,
                CsvByteOrderMarkOnStandardOutput = settings.CsvByteOrderMarkOnStandardOutput,
                Clock = settings.Clock,
                GetEnvironmentVariable = settings.GetEnvironmentVariable,
                NewSubmissionId = settings.NewSubmissionId,
                ClientVersion = settings.ClientVersion,
            };
        // Unless a test names its own data folder, each run gets a fresh outbox, never the user's.
        var environment = settings.GetEnvironmentVariable;
        var isolatedData = environment(GridOutbox.DataFolderEnvironmentVariable) is null
            ? Path.Combine(Path.GetTempPath(), "observatoire-cli-tests-data-" + Guid.NewGuid().ToString("N"))
            : null;
        var app = new CliApp(console, channels, new CliSettings
        {
            RetryDelays = settings.RetryDelays,
            ErrorConsole = settings.ErrorConsole,
            ShowProgress = settings.ShowProgress,
            ProgressThreshold = settings.ProgressThreshold,
            CsvByteOrderMarkOnStandardOutput = settings.CsvByteOrderMarkOnStandardOutput,
            Clock = settings.Clock,
            NewSubmissionId = settings.NewSubmissionId,
            ClientVersion = settings.ClientVersion,
            GetEnvironmentVariable = name => name == GridOutbox.DataFolderEnvironmentVariable && isolatedData is not null ? isolatedData : environment(name),
        });
        try
        {
            var code = await app.RunAsync(args);
            return new CliRun(code, Normalize(output.ToString()), Normalize(error.ToString()));
        }
        finally
        {
            if (isolatedData is not null && Directory.Exists(isolatedData))
            {
                Directory.Delete(isolatedData, recursive: true);
            }
        }
    }

    /// <summary>Replaces the no-break spaces of French number formats by plain spaces.</summary>
    public static string Normalize(string text) => text.Replace('\u202F', ' ').Replace('\u00A0', ' ');

    /// <summary>A temporary folder deleted at dispose.</summary>
    public static TempFolder TempFolder() => new();

    /// <summary>The cells of every table row of the output (the text between the │ borders), trimmed.</summary>
    public static IReadOnlyList<string[]> Rows(CliRun run) =>
        run.Lines
            .Where(l => l.StartsWith('│'))
            .Select(l => l.Trim('│').Split('│').Select(c => c.Trim()).ToArray())
            .ToList();

    private static IAnsiConsole PlainConsole(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 250;
        console.Profile.Capabilities.Unicode = true;
        return console;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Observatoire.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Observatoire.sln introuvable au-dessus de {AppContext.BaseDirectory}.");
    }

    /// <summary>Runs the CLI with a channel factory that counts calls: a usage error exits 2 before any call.</summary>
    public static async Task AssertUsageErrorWithoutServerAsync(params string[] args)
    {
        var calls = 0;
        var run = await RunAsync(
            _ =>
            {
                calls++;
                return GrpcChannel.ForAddress("http://127.0.0.1:9");
            },
            null,
            args);

        Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
        Assert.Contains("Erreur", run.Error);
        Assert.Equal(0, calls);
    }
}

/// <summary>A temporary folder, deleted with its content.</summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>Creates the folder.</summary>
    public TempFolder()
    {
        Path = Directory.CreateTempSubdirectory("observatoire-cli-tests-").FullName;
    }

    /// <summary>Full path.</summary>
    public string Path { get; }

    /// <summary>A path inside the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Deletes the folder.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Left behind in the temp folder: harmless.
        }
    }
}

/// <summary>
/// One in-process server (ServerFixture: TestServer on its own SQLite file) shared by the tests of a class; wrapping it
/// keeps the CLI tests independent of how ServerFixture is constructed.
/// </summary>
public sealed class CliServer : IDisposable
{
    /// <summary>The server.</summary>
    public ServerFixture Server { get; } = new();

    /// <summary>Stops the server and deletes its database.</summary>
    public void Dispose() => Server.Dispose();
}
