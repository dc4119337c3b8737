using System.Reflection;
using Grpc.Core;
using Observatoire.Protos.V1;

namespace Observatoire.Cli.Infrastructure;

/// <summary>
/// This client's version (Directory.Build.props' Version, as "observatoire --version" prints it) and its check
/// against the oldest client version the server still serves.
/// </summary>
public static class ClientVersion
{
    private static readonly TimeSpan CheckDeadline = TimeSpan.FromSeconds(10);

    /// <summary>This build's version, e.g. "1.0.0".</summary>
    public static string Current { get; } = Of(typeof(ClientVersion).Assembly);

    /// <summary>
    /// Asks the server which clients it serves. Returns the French message to print when <paramref name="current"/> is
    /// older than the server's minimum, or null when it is recent enough or the server cannot say (unreachable, an older
    /// server without the service): the command then runs and reports any failure itself, the outbox keeping its grids.
    /// </summary>
    public static async Task<string?> TooOldMessageAsync(CallInvoker calls, string server, string current, CancellationToken cancellationToken)
    {
        ServerInfo info;
        try
        {
            info = await new ServerInfoService.ServerInfoServiceClient(calls)
                .GetServerInfoAsync(new GetServerInfoRequest(), deadline: DateTime.UtcNow.Add(CheckDeadline), cancellationToken: cancellationToken);
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        if (!Version.TryParse(current, out var mine) || !Version.TryParse(info.MinimumClientVersion, out var minimum) || mine >= minimum)
        {
            return null;
        }

        return $"Cet outil observatoire (version {current}) est trop ancien pour le serveur {server} (version {info.Version}), " +
               $"qui demande au moins la version {info.MinimumClientVersion}. Installez la version {info.Version} de l'outil " +
               "(demandez-la à l'administration nationale de l'observatoire) ; rien n'a été envoyé.";
    }

    private static string Of(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
