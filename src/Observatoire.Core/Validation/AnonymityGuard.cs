using System.Text.RegularExpressions;
using Observatoire.Core.Schemas;

namespace Observatoire.Core.Validation;

/// <summary>
/// Finds personal data in free text: e-mail addresses, French phone numbers, social security
/// numbers (NIR), dates of birth and street addresses. A grid is about counts, never a person.
/// </summary>
public static partial class AnonymityGuard
{
    /// <summary>Every span of the text that looks like personal data, with the check it breaks.</summary>
    public static IEnumerable<(CheckKind Kind, string Match)> Scan(string text)
    {
        foreach (Match m in Email().Matches(text))
        {
            yield return (CheckKind.PersonalDataEmail, m.Value);
        }

        foreach (Match m in Nir().Matches(text))
        {
            yield return (CheckKind.PersonalDataNir, m.Value);
        }

        // A NIR also looks like a long number; do not report its digits twice as a phone number.
        var withoutNir = Nir().Replace(text, " ");
        foreach (Match m in Phone().Matches(withoutNir))
        {
            yield return (CheckKind.PersonalDataPhone, m.Value.Trim());
        }

        foreach (Match m in BirthDate().Matches(text))
        {
            yield return (CheckKind.PersonalDataBirthDate, m.Value);
        }

        foreach (Match m in StreetAddress().Matches(text))
        {
            yield return (CheckKind.PersonalDataAddress, m.Value);
        }
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    // Sex (1/2), year, month (01-12 or 20-99 for special cases), department (2 digits or 2A/2B),
    // commune, order number, optional 2-digit key; spaces, dots or dashes allowed between groups.
    [GeneratedRegex(@"(?<![\dA-Za-z])[12][\s.\-]?\d{2}[\s.\-]?(?:0[1-9]|1[0-2]|[2-9]\d)[\s.\-]?(?:\d{2}|2[AaBb])[\s.\-]?\d{3}[\s.\-]?\d{3}(?:[\s.\-]?\d{2})?(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Nir();

    // 0X XX XX XX XX, +33 X XX XX XX XX, 0033..., with spaces, dots or dashes.
    [GeneratedRegex(@"(?<![\d+])(?:(?:\+|00)33[\s.\-]?(?:\(0\)[\s.\-]?)?|0)[1-9](?:[\s.\-]?\d{2}){4}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Phone();

    // A date, a year or an age anchor introduced by a birth word: "né le 12/03/1985",
    // "née le 3 mars 1990", "date de naissance : 1985-03-12", "DDN 12.03.85", "né en 1985".
    [GeneratedRegex(
        @"\b(?:n[ée]e?s?(?:\s*\(e\))?|naissance|ddn)\b[\s:,]*(?:le\s+|en\s+|du\s+|:)?\s*(?:\d{1,2}(?:er)?[\s/.\-](?:\d{1,2}|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre)[\s/.\-]\d{2,4}|\d{4}-\d{2}-\d{2}|(?:19|20)\d{2})",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BirthDate();

    [GeneratedRegex(
        @"\b\d{1,4}\s*(?:bis|ter|b|t)?\s*,?\s+(?:rue|avenue|av\.?|boulevard|bd|place|pl\.|chemin|all[ée]e|impasse|route|quai|cours|square|r[ée]sidence|lotissement|chauss[ée]e|faubourg|fg|passage|voie|lieu[\s\-]dit|cit[ée]|hameau|sentier|villa)\s+[\p{L}'’\-]+(?:\s+[\p{L}'’\-]+){0,3}",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StreetAddress();
}
