using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Observatoire.Server.Operations;
using Observatoire.Server.Security;
using Observatoire.Server.Web;

namespace Observatoire.Server.Infrastructure;

/// <summary>
/// The endpoints with a role of their own, next to the gRPC address: the web pages (Kestrel:Endpoints:Web) and the
/// management endpoint (Kestrel:Endpoints:Management). Any Kestrel endpoint in the configuration makes Kestrel
/// ignore --urls and ASPNETCORE_URLS; when these are the only ones, the host's addresses are bound here in code,
/// next to them, so the gRPC address is still set as in any ASP.NET Core application.
/// </summary>
internal static class NamedEndpoints
{
    /// <summary>Whether an endpoint of the configuration has a role of its own (the others are gRPC addresses).</summary>
    public static bool HasOwnRole(string name) =>
        name.Equals(WebEndpoint.Name, StringComparison.OrdinalIgnoreCase) || name.Equals(ManagementEndpoint.Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the host's addresses (--urls, ASPNETCORE_URLS, ports) are bound next to the configured endpoints.</summary>
    public static bool HostUrlsBound(IConfiguration configuration) =>
        configuration.GetSection("Kestrel:Endpoints").GetChildren().All(e => HasOwnRole(e.Key));

    public static void Configure(WebApplicationBuilder builder, ManagementEndpoint management)
    {
        var web = !string.IsNullOrWhiteSpace(builder.Configuration[WebEndpoint.UrlKey]);
        var managed = !string.IsNullOrWhiteSpace(builder.Configuration[ManagementEndpoint.UrlKey]);
        if (!web && !managed)
        {
            return;
        }

        // The host's addresses are bound in code below, and cleared from the configuration.
        var hostUrls = TransportSecurity.HostUrls(builder.Configuration).ToList();
        var alone = HostUrlsBound(builder.Configuration);
        if (alone)
        {
            builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "");
            builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, "");
            builder.WebHost.UseSetting(WebHostDefaults.HttpsPortsKey, "");
            AddressesBoundInCode.Decorate(builder.Services);
        }

        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var configuration = context.Configuration;

            // Kestrel reads its endpoints from configuration but not its limits: Kestrel:Limits (connections at once,
            // among others) is bound here.
            configuration.GetSection("Kestrel:Limits").Bind(kestrel.Limits);
            var loader = kestrel.Configure(configuration.GetSection("Kestrel"), reloadOnChange: false);
            if (web)
            {
                loader.Endpoint(WebEndpoint.Name, endpoint => endpoint.ListenOptions.Protocols = endpoint.IsHttps ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1);
            }

            if (managed)
            {
                // Prometheus and orchestrators' probes speak HTTP/1.1.
                loader.Endpoint(ManagementEndpoint.Name, endpoint =>
                {
                    endpoint.ListenOptions.Protocols = endpoint.IsHttps ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                    management.Add(endpoint.ListenOptions);
                });
            }

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

/// <summary>
/// The server, without the host's addresses handed to it at its start: the web host still passes --urls and
/// ASPNETCORE_URLS from the command line and the environment (cleared from the configuration, they come back from its
/// own settings), and Kestrel, which also has endpoints, would warn "Overriding address(es) ..." for addresses that
/// are in fact bound, in code (<see cref="NamedEndpoints"/>): an operator would read that the address given was
/// ignored. Once started, the server lists every address it listens on, these included.
/// </summary>
internal sealed class AddressesBoundInCode(IServer inner) : IServer
{
    public IFeatureCollection Features => inner.Features;

    /// <summary>Wraps the registered server, when it is Kestrel.</summary>
    public static void Decorate(IServiceCollection services)
    {
        // Kestrel only: a host that brings its own server (the in-process test host) binds no address.
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IServer));
        if (registered?.ImplementationType is not { } type || type.Assembly != typeof(KestrelServerOptions).Assembly)
        {
            return;
        }

        services.Remove(registered);
        services.AddSingleton(type);
        services.AddSingleton<IServer>(sp => new AddressesBoundInCode((IServer)sp.GetRequiredService(type)));
    }

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        if (inner.Features.Get<IServerAddressesFeature>() is { Addresses.IsReadOnly: false } addresses)
        {
            addresses.Addresses.Clear();
        }

        return inner.StartAsync(application, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);

    public void Dispose() => inner.Dispose();
}
