using Spectre.Console;

namespace Observatoire.Cli;

/// <summary>Everything about the environment that the CLI needs, replaceable by tests.</summary>
public sealed class CliSettings
{
    /// <summary>Server address used when neither --server nor OBSERVATOIRE_SERVER is given.</summary>
    public const string DefaultServer = "http://localhost:5000";

    /// <summary>Environment variable naming the server address.</summary>
    public const string ServerEnvironmentVariable = "OBSERVATOIRE_SERVER";

    /// <summary>Environment variable holding the API key.</summary>
    public const string ApiKeyEnvironmentVariable = "OBSERVATOIRE_API_KEY";

    /// <summary>Console for fatal errors (usage, unreachable server); null means the output console.</summary>
    public IAnsiConsole? ErrorConsole { get; init; }

    /// <summary>Reads an environment variable (OBSERVATOIRE_SERVER, OBSERVATOIRE_API_KEY).</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Time zone in which dates are shown.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;

    /// <summary>Waits between attempts of a call that failed with UNAVAILABLE; its length is the number of retries.</summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; init; } =
        [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    /// <summary>A progress bar is shown when more grids than this are sent (on an interactive console).</summary>
    public int ProgressThreshold { get; init; } = 5;

    /// <summary>Forces the progress bar on or off; null: only on an interactive console.</summary>
    public bool? ShowProgress { get; init; }

    /// <summary>Makes the client submission ids.</summary>
    public Func<Guid> NewSubmissionId { get; init; } = Guid.CreateVersion7;

    /// <summary>Whether CSV written to the standard output starts with a UTF-8 byte order mark (files always do).</summary>
    public bool CsvByteOrderMarkOnStandardOutput { get; init; }

    /// <summary>The clock (today's date decides which periods have ended, e.g. for simulate).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The version this client declares to the server's minimum (tests pretend to be older).</summary>
    public string ClientVersion { get; init; } = Infrastructure.ClientVersion.Current;

    /// <summary>Width of text reports written to a file with --output.</summary>
    public int FileReportWidth { get; init; } = 160;
}
