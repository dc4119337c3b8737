using Observatoire.Core.Schemas;

namespace Observatoire.Core.Validation;

/// <summary>One rule a grid breaks: rule code, cell or field path, French message, severity.</summary>
public sealed record Violation(string RuleCode, string Path, string Message, Severity Severity, string? MatchedText = null)
{
    public bool IsError => Severity == Severity.Error;
}
