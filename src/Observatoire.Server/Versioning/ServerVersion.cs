using System.Reflection;

namespace Observatoire.Server.Versioning;

/// <summary>
/// The server's version (Directory.Build.props' Version) and the oldest client it serves
/// (ObservatoireMinimumClientVersion, overridable by Observatoire:MinimumClientVersion).
/// </summary>
internal sealed class ServerVersion
{
    public ServerVersion(IConfiguration configuration)
    {
        var assembly = typeof(ServerVersion).Assembly;
        Current = OfAssembly(assembly);
        var configured = configuration["Observatoire:MinimumClientVersion"];
        var built = assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "MinimumClientVersion")?.Value;
        MinimumClient = !string.IsNullOrWhiteSpace(configured) ? configured.Trim() : built ?? Current;
        if (!Version.TryParse(MinimumClient, out _))
        {
            throw new InvalidOperationException($"Observatoire:MinimumClientVersion « {MinimumClient} » n'est pas une version (attendu : 1.2.0).");
        }
    }

    /// <summary>This build's version, e.g. "1.0.0".</summary>
    public string Current { get; }

    /// <summary>The oldest client version served.</summary>
    public string MinimumClient { get; }

    /// <summary>The informational version of an assembly without any "+metadata" suffix.</summary>
    public static string OfAssembly(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString(3)
            ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
