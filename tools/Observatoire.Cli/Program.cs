using System.Globalization;
using Grpc.Net.Client;
using Spectre.Console;

namespace Observatoire.Cli;

/// <summary>Entry point: wires the real consoles and real gRPC channels to <see cref="CliApp"/>.</summary>
internal static class Program
{
    private const int RedirectedWidth = 160;

    private static async Task<int> Main(string[] args)
    {
        // French messages from System.CommandLine (help headings, parse errors).
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr-FR");

        var errorConsole = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var settings = new CliSettings
        {
            ErrorConsole = errorConsole,

            // "observatoire query --format csv > chiffres.csv" makes a file a French spreadsheet opens correctly.
            CsvByteOrderMarkOnStandardOutput = Console.IsOutputRedirected,
        };

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        // An http:// address is reached over HTTP/2 without TLS (prior knowledge), GrpcChannel's default.
        // Redirected to a file or a pipe, the console has no width: tables get room instead of the 80 columns default.
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Console.Profile.Width = RedirectedWidth;
        }

        var app = new CliApp(AnsiConsole.Console, address => GrpcChannel.ForAddress(address), settings);
        return await app.RunAsync(args, cancellation.Token);
    }
}
