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
        await using var collector = await OtlpCollector.StartAsync();

        using var server = new ServerFixture();
        server.Settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address;
        server.Settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        await new SchemaService.SchemaServiceClient(server.CreateChannel()).ListSchemasAsync(new ListSchemasRequest());
        var tracer = server.Services.GetRequiredService<TracerProvider>();

        // The server ends its span after the client has its answer: flush again until the span has been exported.
        var text = "";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!text.Contains("observatoire.v1.SchemaService/ListSchemas", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            Assert.True(tracer.ForceFlush(30_000));
            text = string.Concat(collector.Traces.Select(t => System.Text.Encoding.UTF8.GetString(t)));
            await Task.Delay(50);
        }

        Assert.NotEmpty(collector.Traces);
        Assert.Contains("observatoire.v1.SchemaService/ListSchemas", text, StringComparison.Ordinal);
        Assert.Contains("observatoire", text, StringComparison.Ordinal);
    }
}
