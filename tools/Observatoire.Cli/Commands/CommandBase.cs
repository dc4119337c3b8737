using System.CommandLine;
using Grpc.Core;
using Observatoire.Cli.Infrastructure;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>What the commands share: the context and the server address of the command line.</summary>
public abstract class CommandBase
{
    /// <summary>Creates a command bound to a context and a server address.</summary>
    protected CommandBase(CliContext context, string server)
    {
        if (!CommonOptions.IsServerAddress(server))
        {
            throw new UsageException($"adresse de serveur invalide : « {server} » (attendu : http://hôte:port ou https://hôte:port).");
        }

        Context = context;
        Server = server;
    }

    /// <summary>The run's context.</summary>
    protected CliContext Context { get; }

    /// <summary>The server address.</summary>
    protected string Server { get; }

    /// <summary>The output console.</summary>
    protected IAnsiConsole Console => Context.Console;

    /// <summary>Calls to the server, authenticated with the run's API key.</summary>
    protected CallInvoker Channel => Context.Calls(Server);

    /// <summary>Runs a call with the retry policy of the settings.</summary>
    protected Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        GrpcRetry.CallAsync(call, Context.Settings.RetryDelays, cancellationToken);

    /// <summary>The value of the global --server option.</summary>
    protected static string ServerOf(ParseResult parseResult, Option<string> serverOption) =>
        parseResult.GetValue(serverOption) ?? CliSettings.DefaultServer;
}
