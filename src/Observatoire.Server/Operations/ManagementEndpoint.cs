using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Observatoire.Server.Operations;

/// <summary>
/// The management endpoint, Kestrel:Endpoints:Management:Url (loopback by default): it serves the Prometheus scrape
/// (/metrics) and the HTTP health probes (/health/live, /health/ready), and nothing else; no other endpoint serves
/// them. A request belongs to it by the local port its connection arrived on (never by its Host header, which a
/// client chooses).
/// </summary>
internal sealed class ManagementEndpoint
{
    public const string Name = "Management";

    public const string UrlKey = "Kestrel:Endpoints:Management:Url";

    private readonly List<ListenOptions> _listeners = [];
    private volatile int[]? _ports;

    /// <summary>Marks an endpoint (route) as served on the management endpoint only.</summary>
    public static object Only { get; } = new ManagementOnly();

    /// <summary>The ports the management endpoint listens on (after binding, a configured port 0 is the one given).</summary>
    public IReadOnlyList<int> Ports => _ports ?? Resolve();

    /// <summary>Whether a URL names the loopback interface only (localhost, 127.x.x.x, ::1).</summary>
    public static bool IsLoopback(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return false;
        }

        var host = BindingAddress.Parse(url).Host.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>Called by Kestrel's configuration for the management endpoint's listener.</summary>
    public void Add(ListenOptions listener)
    {
        lock (_listeners)
        {
            _listeners.Add(listener);
        }
    }

    /// <summary>Whether the request arrived on the management endpoint.</summary>
    public bool Serves(HttpContext context)
    {
        var port = context.Connection.LocalPort;
        return port > 0 && Array.IndexOf(_ports ?? Resolve(), port) >= 0;
    }

    /// <summary>The bound ports, kept once every listener has one (Kestrel binds before the first request).</summary>
    private int[] Resolve()
    {
        lock (_listeners)
        {
            var ports = _listeners.Select(l => l.IPEndPoint?.Port ?? 0).ToArray();
            if (ports.Length > 0 && ports.All(p => p > 0))
            {
                _ports = [.. ports.Distinct()];
                return _ports;
            }

            return [.. ports.Where(p => p > 0).Distinct()];
        }
    }

    /// <summary>
    /// First in the pipeline: a management route answers 404 anywhere but on the management endpoint, and the
    /// management endpoint answers 404 to everything else (gRPC, pages, REST, OpenAPI).
    /// </summary>
    public static void UseFilter(WebApplication app)
    {
        var management = app.Services.GetRequiredService<ManagementEndpoint>();
        app.Use((context, next) =>
        {
            var route = context.GetEndpoint()?.Metadata.GetMetadata<ManagementOnly>() is not null;
            if (route != management.Serves(context))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
    }

    /// <summary>The metadata of the management endpoint's routes.</summary>
    internal sealed class ManagementOnly;
}
