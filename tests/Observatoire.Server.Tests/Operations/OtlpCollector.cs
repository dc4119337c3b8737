using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Observatoire.Server.Tests.Operations;

/// <summary>An OTLP/HTTP receiver on 127.0.0.1 that keeps every request's path and body, for the trace export tests.</summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _host;
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();

    private OtlpCollector(WebApplication host) => _host = host;

    /// <summary>The address to give as OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    public string Address => _host.Urls.Single();

    /// <summary>The bodies received on the traces path (<c>/v1/traces</c>).</summary>
    public IReadOnlyList<byte[]> Traces => [.. _received.Where(r => r.Path == "/v1/traces").Select(r => r.Body)];

    public static async Task<OtlpCollector> StartAsync()
    {
        // An empty builder: this folder's appsettings.json (the server's) would give it the server's endpoints and HTTP/2 only.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        var collector = new OtlpCollector(builder.Build());
        collector._host.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            collector._received.Enqueue((context.Request.Path, body.ToArray()));
        });
        await collector._host.StartAsync();
        return collector;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
