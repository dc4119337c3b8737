using System.Globalization;
using Grpc.Net.Client;
using Spectre.Console;

namespace Observatoire.Cli;

/// <summary>Entry point: wires the real consoles and real gRPC channels to <see cref="CliApp"/>.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        // French messages from System.CommandLine (help headings, parse errors).
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr-FR");

        var errorConsole = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var settings = new CliSettings { ErrorConsole = errorConsole };

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        // An http:// address is reached over HTTP/2 without TLS (prior knowledge), GrpcChannel's default.
        var app = new CliApp(AnsiConsole.Console, address => GrpcChannel.ForAddress(address), settings);
        return await app.RunAsync(args, cancellation.Token);
    }
}
