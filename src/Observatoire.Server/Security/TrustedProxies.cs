using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Observatoire.Server.Infrastructure;

namespace Observatoire.Server.Security;

/// <summary>
/// The load balancers or reverse proxies in front of the server (<see cref="SecurityOptions.TrustedProxies"/>): from
/// them only, X-Forwarded-For and X-Forwarded-Proto give the client's address and scheme. Without it, behind a proxy,
/// every caller has the proxy's address: the audit log would name it, and the sign-in limit per address would count
/// every person signing in together. Nothing is trusted by default (not even this machine).
/// </summary>
internal static class TrustedProxies
{
    public static void Configure(IServiceCollection services, SecurityOptions options)
    {
        if (options.TrustedProxies.Length == 0)
        {
            return;
        }

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var entry in options.TrustedProxies)
            {
                if (System.Net.IPNetwork.TryParse(entry, out var network))
                {
                    o.KnownIPNetworks.Add(network);
                }
                else if (IPAddress.TryParse(entry, out var address))
                {
                    o.KnownProxies.Add(address);
                }
                else
                {
                    throw new StartupRefusedException(
                        $"Security:TrustedProxies : « {entry} » n'est ni une adresse IP ni un réseau (10.0.0.0/8) : corrigez la configuration.");
                }
            }
        });
    }

    public static void Use(WebApplication app, SecurityOptions options)
    {
        if (options.TrustedProxies.Length > 0)
        {
            app.UseForwardedHeaders();
        }
    }
}
