namespace Observatoire.Cli.Infrastructure;

/// <summary>A command line that parses but makes no sense (exit code 2); the message is French.</summary>
public sealed class UsageException(string message) : Exception(message);
