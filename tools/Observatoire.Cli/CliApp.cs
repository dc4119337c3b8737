using System.CommandLine;
using Grpc.Core;
using Grpc.Net.Client;
using Observatoire.Cli.Commands;
using Observatoire.Cli.Infrastructure;
using Spectre.Console;

namespace Observatoire.Cli;

/// <summary>
/// The observatoire command, independent of the process: output goes to an <see cref="IAnsiConsole"/> and the server
/// is reached through channels made by a factory, so that tests can run it in-process against a TestServer.
/// </summary>
public sealed class CliApp
{
    private readonly CliContext _context;
    private readonly RootCommand _root;
    private readonly Option<string> _server;
    private readonly Option<string?> _apiKey;

    /// <summary>Creates the command; <paramref name="channelFactory"/> gets the --server address and makes a channel (owned by the caller).</summary>
    public CliApp(IAnsiConsole console, Func<string, GrpcChannel> channelFactory, CliSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(channelFactory);
        settings ??= new CliSettings();
        _context = new CliContext(console, channelFactory, settings);

        _server = new Option<string>("--server")
        {
            Description = $"Adresse du serveur gRPC (variable {CliSettings.ServerEnvironmentVariable}, défaut {CliSettings.DefaultServer}).",
            HelpName = "URL",
            Recursive = true,
            DefaultValueFactory = _ => settings.GetEnvironmentVariable(CliSettings.ServerEnvironmentVariable) is { Length: > 0 } fromEnvironment
                ? fromEnvironment
                : CliSettings.DefaultServer,
        };
        _server.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!CommonOptions.IsServerAddress(value))
            {
                result.AddError($"Adresse de serveur invalide : « {value} » (attendu : http://hôte:port ou https://hôte:port).");
            }
        });

        _apiKey = new Option<string?>("--api-key")
        {
            Description = $"Clé d'API envoyée au serveur (variable {CliSettings.ApiKeyEnvironmentVariable}).",
            HelpName = "CLÉ",
            Recursive = true,
            DefaultValueFactory = _ => settings.GetEnvironmentVariable(CliSettings.ApiKeyEnvironmentVariable) is { Length: > 0 } fromEnvironment
                ? fromEnvironment
                : null,
        };

        _root = new RootCommand("Client de l'Observatoire, serveur d'agrégation des statistiques des postes ISCG.")
        {
            _server,
            _apiKey,
            SchemaCommand.Create(_context, _server),
            ValidateCommand.Create(_context, _server),
            SubmitCommand.Create(_context, _server),
            ModeleCommand.Create(_context, _server),
            OutboxCommand.Create(_context),
            SyncCommand.Create(_context, _server),
            HistoryCommand.Create(_context, _server),
            QueryCommand.Create(_context, _server),
            SeriesCommand.Create(_context, _server),
            CompletenessCommand.Create(_context, _server),
            OutliersCommand.Create(_context, _server),
            CompareCommand.Create(_context, _server),
            ChartCommand.Create(_context, _server),
            ReportCommand.Create(_context, _server),
            ExportCommand.Create(_context, _server),
            OpenDataCommand.Create(_context, _server),
            PublishCommand.Create(_context, _server),
            EditionsCommand.Create(_context, _server),
            CompareEditionCommand.Create(_context, _server),
            BilanCommand.Create(_context, _server),
            SimulateCommand.Create(_context, _server),
            KeysCommand.Create(_context, _server),
            PostsCommand.Create(_context, _server),
            AuditCommand.Create(_context, _server),
            CampaignCommand.Create(_context, _server),
            AdminCommand.Create(_context, _server),
        };
        foreach (var option in _root.Options.OfType<VersionOption>())
        {
            // The product's version (Directory.Build.props), not the entry assembly's: the same in tests and in the published file.
            option.Action = new PrintVersionAction(_context);
        }

        foreach (var option in _root.Options)
        {
            option.Description = option switch
            {
                System.CommandLine.Help.HelpOption => "Affiche l'aide et l'utilisation.",
                VersionOption => "Affiche la version.",
                _ => option.Description,
            };
        }
    }

    /// <summary>Prints the client's version, as the server's GetServerInfo spells its own.</summary>
    private sealed class PrintVersionAction(CliContext context) : System.CommandLine.Invocation.SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            context.WriteRaw(context.Settings.ClientVersion + Environment.NewLine);
            return ExitCodes.Success;
        }
    }

    /// <summary>Creates the command with one channel used whatever --server says (for tests).</summary>
    public CliApp(IAnsiConsole console, GrpcChannel channel, CliSettings? settings = null)
        : this(console, _ => channel, settings)
    {
    }

    /// <summary>The command tree (for help and completion tests).</summary>
    public RootCommand RootCommand => _root;

    /// <summary>Runs a command line; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var output = _context.Console.Profile.Out.Writer;
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = _context.Error.Profile.Out.Writer,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };

        if (args.Length == 0)
        {
            await _root.Parse(["--help"]).InvokeAsync(configuration, cancellationToken);
            return ExitCodes.Usage;
        }

        var parseResult = _root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                _context.Error.MarkupLineInterpolated($"[red]Erreur :[/] {error.Message}");
            }

            var command = parseResult.CommandResult.Command;
            var help = command == _root ? "observatoire --help" : $"observatoire {command.Name} --help";
            _context.Error.MarkupLineInterpolated($"Aide : {help}");
            return ExitCodes.Usage;
        }

        _context.ApiKey = parseResult.GetValue(_apiKey)?.Trim();
        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken);
        }
        catch (ClientTooOldException ex)
        {
            _context.Error.MarkupLineInterpolated($"[red]{ex.Message}[/]");
            return ExitCodes.ClientTooOld;
        }
        catch (UsageException ex)
        {
            _context.Error.MarkupLineInterpolated($"[red]Erreur :[/] {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (ServerUnreachableException ex)
        {
            _context.Error.MarkupLineInterpolated($"[red]{RpcErrors.Unreachable(parseResult.GetValue(_server) ?? "", ex.Rpc)}[/]");
            return ExitCodes.Unreachable;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            _context.Error.MarkupLine("[yellow]Interrompu.[/]");
            return ExitCodes.Canceled;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _context.Error.MarkupLine("[yellow]Interrompu.[/]");
            return ExitCodes.Canceled;
        }
    }
}
