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

    /// <summary>Longest accepted text, in UTF-8 bytes (a flood of combining marks is one character but many bytes).</summary>
    public const int MaxBytes = 4 * MaxLength;

    public static IReadOnlyList<Violation> Check(string text, GridSchema schema, string path)
    {
        var violations = new List<Violation>();
        var length = new StringInfo(text).LengthInTextElements;
        var bytes = System.Text.Encoding.UTF8.GetByteCount(text);
        if (length > MaxLength || bytes > MaxBytes)
        {
            var check = schema.Check(CheckKind.CommentLength);
            var french = CultureInfo.GetCultureInfo("fr-FR");
            var message = check.Message
                .Replace("{value}", length.ToString("#,0", french), StringComparison.Ordinal)
                .Replace("{bytes}", bytes.ToString("#,0", french), StringComparison.Ordinal)
                .Replace("{max_bytes}", MaxBytes.ToString("#,0", french), StringComparison.Ordinal)
                .Replace("{max}", MaxLength.ToString("#,0", french), StringComparison.Ordinal);
            violations.Add(new Violation(check.Code, path, message, Severity.Error));

            // An oversized text is not searched: the guard's cost stays bounded by the limit.
            return violations;
        }

        // Where, never what: the personal data found does not travel further than the author needs to find it.
        foreach (var span in AnonymityGuard.Scan(text))
        {
            var check = schema.Check(span.Kind);
            violations.Add(new Violation(check.Code, path, check.Message, Severity.Error, span.Location));
        }

        return violations;
    }
}
