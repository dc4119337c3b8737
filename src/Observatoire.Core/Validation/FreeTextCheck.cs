using System.Globalization;
using Observatoire.Core.Schemas;

namespace Observatoire.Core.Validation;

/// <summary>
/// Checks a free text written by a post (the qualitative part of its bilan d'activité) as a grid's comment is
/// checked: a length bound, and the anonymity guard with the schema's codes and French messages.
/// </summary>
public static class FreeTextCheck
{
    /// <summary>Longest accepted text, in characters.</summary>
    public const int MaxLength = 50_000;

    public static IReadOnlyList<Violation> Check(string text, GridSchema schema, string path)
    {
        var violations = new List<Violation>();
        var length = new StringInfo(text).LengthInTextElements;
        if (length > MaxLength)
        {
            var check = schema.Check(CheckKind.CommentLength);
            var message = check.Message
                .Replace("{value}", length.ToString("#,0", CultureInfo.GetCultureInfo("fr-FR")), StringComparison.Ordinal)
                .Replace("{max}", MaxLength.ToString("#,0", CultureInfo.GetCultureInfo("fr-FR")), StringComparison.Ordinal);
            violations.Add(new Violation(check.Code, path, message, Severity.Error));
            return violations;
        }

        foreach (var (kind, match) in AnonymityGuard.Scan(text))
        {
            var check = schema.Check(kind);
            violations.Add(new Violation(check.Code, path, check.Message, Severity.Error, match));
        }

        return violations;
    }
}
