using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Observatoire.Server.Tests.Operations;

/// <summary>Console logs: JSON with the trace id in Production, readable elsewhere.</summary>
public class LoggingTests
{
    [Fact]
    public void Production_logs_json_lines_with_scopes_carrying_trace_and_span_ids()
    {
        using var server = new ServerFixture { Environment = "Production" };
        _ = server.Server;

        var console = server.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        var json = server.Services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue;
        var factory = server.Services.GetRequiredService<IOptions<LoggerFactoryOptions>>().Value;
        Assert.Equal(ConsoleFormatterNames.Json, console.FormatterName);
        Assert.True(json.IncludeScopes);
        Assert.True(factory.ActivityTrackingOptions.HasFlag(ActivityTrackingOptions.TraceId));
        Assert.True(factory.ActivityTrackingOptions.HasFlag(ActivityTrackingOptions.SpanId));
    }

    [Fact]
    public void Development_keeps_the_readable_console()
    {
        using var server = new ServerFixture { Environment = "Development" };
        _ = server.Server;

        var console = server.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        Assert.NotEqual(ConsoleFormatterNames.Json, console.FormatterName);
    }
}
