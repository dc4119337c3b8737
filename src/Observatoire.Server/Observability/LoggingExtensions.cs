namespace Observatoire.Server.Observability;

/// <summary>
/// Logs as operators read them: one JSON object per line on the console in Production (with the request's trace and
/// span ids from its scope), the readable console elsewhere. The server's own messages never carry a key, a
/// password or a refused comment: keys are named by their public id, personal data by its position.
/// </summary>
public static class LoggingExtensions
{
    public static void AddObservatoireLogging(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (builder.Environment.IsProduction())
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
    }
}
