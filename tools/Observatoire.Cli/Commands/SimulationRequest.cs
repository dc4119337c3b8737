namespace Observatoire.Cli.Commands;

/// <summary>What the simulate command line asks for.</summary>
public sealed record SimulationRequest(
    int Year,
    long Seed,
    double Missing,
    double Late,
    int Outliers,
    bool DryRun,
    string? Output,
    IReadOnlyList<string> Departments,
    IReadOnlyList<string> Posts,
    string ClientId);
