namespace Observatoire.Server.Web;

/// <summary>
/// The web pages' own endpoint, Kestrel:Endpoints:Web:Url: browsers do not speak HTTP/2 over clear text, so
/// it serves HTTP/1.1 (HTTP/1.1 and HTTP/2 with TLS). Bound with the other named endpoints by <see cref="Infrastructure.NamedEndpoints"/>.
/// </summary>
internal static class WebEndpoint
{
    public const string Name = "Web";

    public const string UrlKey = "Kestrel:Endpoints:Web:Url";
}
