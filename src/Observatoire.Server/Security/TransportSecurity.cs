namespace Observatoire.Server.Security;

/// <summary>
/// Outside Development the server refuses to start in clear text: every Kestrel endpoint must be https with a
/// certificate (its own or Kestrel:Certificates:Default), unless Security:BehindTlsProxy says a TLS-terminating
/// proxy stands in front.
/// </summary>
public static class TransportSecurity
{
    public static void Check(IConfiguration configuration, IHostEnvironment environment, SecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        if (environment.IsDevelopment() || options.BehindTlsProxy)
        {
            return;
        }

        var defaultCertificate = HasCertificate(configuration.GetSection("Kestrel:Certificates:Default"));
        // The management endpoint on loopback (metrics and probes, never reachable from another machine) may stay in
        // clear text; anywhere else it needs TLS like the others.
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Where(e => !(e.Key.Equals(Operations.ManagementEndpoint.Name, StringComparison.OrdinalIgnoreCase) && Operations.ManagementEndpoint.IsLoopback(e["Url"])))
            .ToList();

        // The web pages' and management endpoints alone do not replace the host's addresses: they are bound next to them (NamedEndpoints).
        var urls = endpoints.Select(e => (Url: e["Url"] ?? "", Certificate: defaultCertificate || HasCertificate(e.GetSection("Certificate"))))
            .Concat(Infrastructure.NamedEndpoints.HostUrlsBound(configuration)
                ? HostUrls(configuration).Select(u => (Url: u, Certificate: defaultCertificate))
                : [])
            .ToList();
        var clear = urls.FirstOrDefault(u => !u.Url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || !u.Certificate);
        if (clear.Url is not null)
        {
            throw new Infrastructure.StartupRefusedException(
                $"Hors de l'environnement Development, le serveur exige TLS, or l'adresse « {clear.Url} » n'a pas de certificat https. " +
                "Configurez un certificat (Kestrel:Certificates:Default:Path et :Password, ou Kestrel:Endpoints:<nom>:Certificate) et des adresses https://, " +
                "ou déclarez Security:BehindTlsProxy=true si un mandataire TLS termine les connexions devant le serveur.");
        }
    }

    /// <summary>
    /// Where the host listens without Kestrel endpoints, as ASP.NET Core decides it: --urls or ASPNETCORE_URLS,
    /// else ASPNETCORE_HTTP_PORTS and ASPNETCORE_HTTPS_PORTS, else http://localhost:5000.
    /// </summary>
    internal static IEnumerable<string> HostUrls(IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration["urls"]))
        {
            return configuration["urls"]!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        var ports = Ports(configuration["http_ports"]).Select(p => $"http://*:{p}")
            .Concat(Ports(configuration["https_ports"]).Select(p => $"https://*:{p}"))
            .ToList();
        return ports.Count > 0 ? ports : ["http://localhost:5000"];
    }

    private static string[] Ports(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool HasCertificate(IConfigurationSection section) =>
        !string.IsNullOrEmpty(section["Path"]) || !string.IsNullOrEmpty(section["Subject"]);
}
