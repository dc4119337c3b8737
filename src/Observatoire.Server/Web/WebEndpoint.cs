using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Observatoire.Server.Security;

namespace Observatoire.Server.Web;

/// <summary>
/// The web pages' own endpoint, Kestrel:Endpoints:Web:Url: browsers do not speak HTTP/2 over clear text, so
/// it serves HTTP/1.1 (HTTP/1.1 and HTTP/2 with TLS). Any Kestrel endpoint in the configuration makes
/// Kestrel ignore --urls and ASPNETCORE_URLS; when Web is the only one, the host's addresses are bound
/// here in code, next to it, so the gRPC address is still set as in any ASP.NET Core application.
/// </summary>
internal static class WebEndpoint
{
    public const string Name = "Web";

    public const string UrlKey = "Kestrel:Endpoints:Web:Url";

    public static void Configure(WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[UrlKey]))
        {
            return;
        }

        // The host's addresses are bound in code below, and cleared from the configuration. Kestrel may still log
        // "Overriding address(es)": it does bind them, next to the Web endpoint (see ListeningAddressTests).
        var hostUrls = TransportSecurity.HostUrls(builder.Configuration).ToList();
        var alone = !builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Any(e => e.Key != Name);
        if (alone)
        {
            builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "");
            builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, "");
            builder.WebHost.UseSetting(WebHostDefaults.HttpsPortsKey, "");
        }

        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var configuration = context.Configuration;
            kestrel.Configure(configuration.GetSection("Kestrel"), reloadOnChange: false)
                .Endpoint(Name, endpoint => endpoint.ListenOptions.Protocols = endpoint.IsHttps ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1);
            if (!alone)
            {
                return;
            }

            var protocols = Enum.TryParse<HttpProtocols>(configuration["Kestrel:EndpointDefaults:Protocols"], ignoreCase: true, out var p)
                ? p
                : HttpProtocols.Http1AndHttp2;
            foreach (var url in hostUrls)
            {
                Bind(kestrel, BindingAddress.Parse(url), protocols);
            }
        });
    }

    private static void Bind(KestrelServerOptions kestrel, BindingAddress address, HttpProtocols protocols)
    {
        void Options(ListenOptions listen)
        {
            listen.Protocols = protocols;
            if (address.Scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
            {
                listen.UseHttps();
            }
        }

        if (address.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(address.Port, Options);
        }
        else if (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip))
        {
            kestrel.Listen(ip, address.Port, Options);
        }
        else
        {
            // "*", "+" or a host name: every interface, as Kestrel does for --urls.
            kestrel.ListenAnyIP(address.Port, Options);
        }
    }
}
