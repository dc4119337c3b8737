using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Observatoire.Protos.V1;
using OpenTelemetry.Trace;

namespace Observatoire.Server.Tests.Operations;

/// <summary>OpenTelemetry: no trace and no OTLP export unless an OTLP endpoint is configured; then spans reach it.</summary>
public class TelemetryTests
{
    [Fact]
    public async Task Without_an_otlp_endpoint_nothing_is_traced_or_exported()
    {
        using var server = new ServerFixture();
        await new SchemaService.SchemaServiceClient(server.CreateChannel()).ListSchemasAsync(new ListSchemasRequest());

        Assert.Null(server.Services.GetService<TracerProvider>());
    }

    [Fact]
    public async Task With_an_otlp_endpoint_the_spans_of_a_call_are_exported_to_it()
    {
        var received = new ConcurrentQueue<(string Path, byte[] Body)>();
        // An empty builder: this folder's appsettings.json (the server's) would give it the server's endpoints and HTTP/2 only.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        await using var collector = builder.Build();
        collector.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((context.Request.Path, body.ToArray()));
        });
        await collector.StartAsync();
        var address = collector.Urls.Single();

        using var server = new ServerFixture();
        server.Settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = address;
        server.Settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        await new SchemaService.SchemaServiceClient(server.CreateChannel()).ListSchemasAsync(new ListSchemasRequest());
        var tracer = server.Services.GetRequiredService<TracerProvider>();

        Assert.True(tracer.ForceFlush(30_000));
        var traces = received.Where(r => r.Path == "/v1/traces").ToList();
        Assert.NotEmpty(traces);
        var text = string.Concat(traces.Select(t => System.Text.Encoding.UTF8.GetString(t.Body)));
        Assert.Contains("observatoire.v1.SchemaService/ListSchemas", text, StringComparison.Ordinal);
        Assert.Contains("observatoire", text, StringComparison.Ordinal);
    }
}
