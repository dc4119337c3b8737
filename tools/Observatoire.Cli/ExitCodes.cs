namespace Observatoire.Cli;

/// <summary>Exit codes of the observatoire command.</summary>
public static class ExitCodes
{
    /// <summary>Everything went well (warnings allowed).</summary>
    public const int Success = 0;

    /// <summary>A grid was rejected or invalid, a file could not be read, or the server refused a request.</summary>
    public const int Rejected = 1;

    /// <summary>The command line is wrong (unknown verb or option, missing argument, bad value).</summary>
    public const int Usage = 2;

    /// <summary>The server could not be reached (gRPC UNAVAILABLE after retries).</summary>
    public const int Unreachable = 3;

    /// <summary>This client is older than the oldest version the server serves: install the server's version.</summary>
    public const int ClientTooOld = 4;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Canceled = 130;
}
