namespace Observatoire.Server.Infrastructure;

/// <summary>
/// The server refuses to start on its configuration or its database, for a reason its operator must fix (a clear-text
/// address outside Development, a grid file that is not a schema, a damaged database...). The message says what, in
/// French; the entry point prints it without a stack trace and exits with code 1.
/// </summary>
public sealed class StartupRefusedException(string message, Exception? inner = null) : InvalidOperationException(message, inner)
{
    /// <summary>The refusal behind a failed start (the host may wrap one failure of a start-up phase), if that is what it was.</summary>
    public static StartupRefusedException? Behind(Exception e) => e switch
    {
        StartupRefusedException refused => refused,
        AggregateException { InnerExceptions: [var only] } => Behind(only),
        _ => null,
    };
}
