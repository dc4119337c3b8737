using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Observatoire.Core.Schemas;

namespace Observatoire.Core.Validation;

/// <summary>Where personal data was found in a text: the check it breaks and its span (never the text itself).</summary>
public readonly record struct PersonalDataSpan(CheckKind Kind, int Index, int Length)
{
    /// <summary>The span for a French reader, 1-based: "caractères 13 à 26".</summary>
    public string Location => $"caractères {Index + 1} à {Index + Length}";
}

/// <summary>
/// Finds personal data in free text: e-mail addresses, French phone numbers, social security
/// numbers (NIR), dates of birth, street addresses and persons named after a civility or a label. A grid is about
/// counts, never a person.
/// </summary>
/// <remarks>
/// The patterns run on .NET's non-backtracking engine, so matching is linear in the text whatever a
/// client writes (the backtracking engine took minutes on a few crafted kilobytes). That engine has no
/// lookarounds: the digit boundaries of numbers are checked here, around each candidate. The timeout is
/// a second fence that linear matching should never reach.
/// </remarks>
public static class AnonymityGuard
{
    private const RegexOptions Linear = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    // user@host.tld, and as written to pass filters: user (at) host (dot) tld, user[arobase]host.fr.
    private static readonly Regex Email = new(
        @"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
        + @"|[A-Za-z0-9._%+\-]+\s*[(\[{]\s*(?:at|arobase|chez)\s*[)\]}]\s*[A-Za-z0-9\-]+(?:(?:\s*[(\[{]\s*(?:dot|point)\s*[)\]}]\s*|\.)[A-Za-z0-9\-]+)+",
        Linear | RegexOptions.IgnoreCase,
        Timeout);

    // Sex (1/2), year, month (01-12 or 20-99 for special cases), department (2 digits or 2A/2B),
    // commune, order number, optional 2-digit key; spaces, dots or dashes allowed between groups.
    private static readonly Regex Nir = new(
        @"[12][\s.\-]?\d{2}[\s.\-]?(?:0[1-9]|1[0-2]|[2-9]\d)[\s.\-]?(?:\d{2}|2[AaBb])[\s.\-]?\d{3}[\s.\-]?\d{3}(?:[\s.\-]?\d{2})?", Linear, Timeout);

    // 0X XX XX XX XX, +33 X XX XX XX XX, 0033..., with spaces, dots, dashes, slashes or underscores between any digits.
    private static readonly Regex Phone = new(
        @"(?:(?:\+|00)33[\s.\-/_]?(?:\(0\)[\s.\-/_]?)?|0[\s.\-/_]?)[1-9](?:[\s.\-/_]?\d){8}", Linear, Timeout);

    // A date, a year or an age anchor introduced by a birth word: "né le 12/03/1985",
    // "née le 3 mars 1990", "date de naissance : 1985-03-12", "DDN 12.03.85", "né en 1985".
    private static readonly Regex BirthDate = new(
        @"\b(?:n[ée]e?s?(?:\s*\(e\))?|naissance|ddn|dob|birth)\b[\s:,]*(?:(?:le\s+|en\s+|du\s+|:)?\s*(?:\d{1,2}(?:er)?[\s/.\-](?:\d{1,2}|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre)[\s/.\-]\d{2,4}|\d{4}-\d{2}-\d{2}|(?:19|20)\d{2})|en\s+\d{2}\b)",
        Linear | RegexOptions.IgnoreCase,
        Timeout);

    private static readonly Regex StreetAddress = new(
        @"\b\d{1,4}\s*(?:bis|ter|b|t)?\s*,?\s+(?:rue|avenue|av\.?|boulevard|bd|place|pl\.|chemin|all[ée]e|impasse|route|quai|cours|square|r[ée]sidence|lotissement|chauss[ée]e|faubourg|fg|passage|voie|lieu[\s\-]dit|cit[ée]|hameau|sentier|villa)\s+[\p{L}'’\-]+(?:\s+[\p{L}'’\-]+){0,3}",
        Linear | RegexOptions.IgnoreCase,
        Timeout);

    // A person named: a civility then a capitalised name ("Mme DUPONT", "M. Martin", "madame Léa"), or a name given
    // after its label ("nom : Dupont", "prénom = Marie"). Case-sensitive on purpose: the name starts with a capital,
    // so "M. le procureur" is a function, not a name. The words of AnonymisedOrFunction are checked afterwards.
    private const string Name = @"\p{Lu}[\p{L}'’\-]*\p{L}";

    private static readonly Regex PersonName = new(
        @"\b(?:M\.|MM\.|Mr\.?|Mme\.?|Mmes\.?|Mlle\.?|Mlles\.?|MME\.?|MLLE\.?|Me\.?|Dr\.?)\s+" + Name
        + @"|\b(?:[Mm]onsieur|[Mm]adame|[Mm]ademoiselle|MONSIEUR|MADAME|MADEMOISELLE)\s+" + Name
        + @"|\b(?:[Pp]r[ée]nom|[Nn]om(?:\s+de\s+(?:famille|naissance|jeune\s+fille))?|PR[ÉE]NOM|NOM)\s*[:=]\s*" + Name,
        Linear,
        Timeout);

    // What a civility may be followed by without naming anyone: an article, an anonymised letter, a function.
    private static readonly FrozenSet<string> AnonymisedOrFunction = new[]
    {
        "le", "la", "les", "l", "un", "une", "des", "du", "de", "et", "ou", "x", "xx", "xxx", "y", "z", "n", "nn",
        "procureur", "procureure", "préfet", "préfète", "sous-préfet", "sous-préfète", "maire", "adjoint", "adjointe",
        "juge", "commissaire", "président", "présidente", "directeur", "directrice", "capitaine", "lieutenant",
        "lieutenante", "commandant", "commandante", "colonel", "colonelle", "général", "générale", "brigadier",
        "brigadière", "major", "adjudant", "adjudante", "chef", "cheffe", "docteur", "docteure", "maître", "ministre",
        "député", "députée", "sénateur", "sénatrice", "conseiller", "conseillère", "délégué", "déléguée", "substitut",
        "substitute", "avocat", "avocate", "officier", "officière", "gendarme", "policier", "policière", "intervenant",
        "intervenante", "assistant", "assistante", "éducateur", "éducatrice", "psychologue", "médecin", "infirmier",
        "infirmière", "responsable", "coordinateur", "coordinatrice", "secrétaire", "référent", "référente", "victime",
        "victimes", "auteur", "autrice", "usager", "usagère", "personne", "mère", "père", "fille", "fils", "enfant",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly System.Buffers.SearchValues<string> NameHints = System.Buffers.SearchValues.Create(
        ["M.", "MM.", "Mme", "MME", "Mr", "Mlle", "MLLE", "Me", "Dr", "onsieur", "ONSIEUR", "adame", "ADAME", "ademoiselle", "ADEMOISELLE", "nom", "Nom", "NOM"],
        StringComparison.Ordinal);

    /// <summary>Every span of the text that looks like personal data, with the check it breaks.</summary>
    public static IEnumerable<PersonalDataSpan> Scan(string text) => Scan(text, prefilter: true);

    /// <summary>Without <paramref name="prefilter"/>, every engine runs on any text: the tests check that skipping them never changes a finding.</summary>
    internal static IEnumerable<PersonalDataSpan> Scan(string text, bool prefilter)
    {
        // The patterns read the text as it reads: full-width or styled characters as their plain form (＠, ０６),
        // invisible characters (zero-width spaces, soft hyphens, direction marks) and separate accents left out.
        // Each span is then given back in the characters of the text as written.
        var (folded, origin) = Fold(text);
        foreach (var span in ScanFolded(folded, prefilter))
        {
            yield return origin is null
                ? span
                : span with { Index = origin[span.Index], Length = origin[span.Index + span.Length - 1] + 1 - origin[span.Index] };
        }
    }

    /// <summary>
    /// The text with each character in its compatibility form (NFKC, one character at a time) and format characters
    /// and non-spacing marks removed, and for each character of it the index of the one it came from; the text itself
    /// and no map when it is plain ASCII.
    /// </summary>
    internal static (string Text, int[]? Origin) Fold(string text)
    {
        var ascii = true;
        foreach (var c in text)
        {
            ascii &= char.IsAscii(c);
        }

        if (ascii)
        {
            return (text, null);
        }

        var folded = new System.Text.StringBuilder(text.Length);
        var origin = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAscii(c) || char.IsSurrogate(c))
            {
                folded.Append(c);
                origin.Add(i);
                continue;
            }

            var category = char.GetUnicodeCategory(c);
            if (category is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            foreach (var plain in c.ToString().Normalize(System.Text.NormalizationForm.FormKC))
            {
                folded.Append(plain);
                origin.Add(i);
            }
        }

        return (folded.ToString(), [.. origin]);
    }

    private static IEnumerable<PersonalDataSpan> ScanFolded(string text, bool prefilter)
    {
        // Every pattern but the e-mail needs a digit (\d is any Unicode decimal digit, as char.IsDigit), and the
        // e-mail needs an @: most comments are plain words and skip the engines altogether.
        if (text.Contains('@') || text.Contains('(') || text.Contains('[') || text.Contains('{'))
        {
            foreach (Match m in Email.Matches(text))
            {
                yield return new(CheckKind.PersonalDataEmail, m.Index, m.Length);
            }
        }

        if (!prefilter || text.AsSpan().IndexOfAny(NameHints) >= 0)
        {
            foreach (Match m in PersonName.Matches(text))
            {
                if (!AnonymisedOrFunction.Contains(LastWord(m.ValueSpan)) && !IsLetterPlaceholder(LastWord(m.ValueSpan)))
                {
                    yield return new(CheckKind.PersonalDataName, m.Index, m.Length);
                }
            }
        }

        // Each number pattern needs at least a count of digits: a NIR twelve (1, 2, 2, 2, 3 and 3, the department
        // possibly 2A), a phone number ten (0 and nine, or 33 and nine), a birth date two (a two-digit year: "née en
        // 85"). Most comments have fewer and skip those engines.
        var digits = 0;
        foreach (var c in text)
        {
            digits += char.IsDigit(c) ? 1 : 0;
        }

        if (!prefilter)
        {
            digits = int.MaxValue;
        }

        if (digits == 0)
        {
            yield break;
        }

        if (digits >= 10)
        {
            // A NIR also looks like a long number; do not report its digits twice as a phone number.
            var withoutNir = text.ToCharArray();
            if (digits >= 12)
            {
                foreach (var (index, length) in Bounded(Nir, text, c => char.IsDigit(c) || char.IsAsciiLetter(c)))
                {
                    yield return new(CheckKind.PersonalDataNir, index, length);
                    Array.Fill(withoutNir, ' ', index, length);
                }
            }

            foreach (var (index, length) in Bounded(Phone, new string(withoutNir), c => char.IsDigit(c) || c == '+'))
            {
                yield return new(CheckKind.PersonalDataPhone, index, length);
            }
        }

        if (digits >= 2)
        {
            foreach (Match m in BirthDate.Matches(text))
            {
                yield return new(CheckKind.PersonalDataBirthDate, m.Index, m.Length);
            }
        }

        // A street address is a number, then white space, then the street: no white space (\s, or any non-ASCII
        // character, to stay on the safe side) after the first digit, no address.
        if (prefilter && !SpaceAfter(text, FirstDigit(text)))
        {
            yield break;
        }

        foreach (Match m in StreetAddress.Matches(text))
        {
            yield return new(CheckKind.PersonalDataAddress, m.Index, m.Length);
        }
    }

    /// <summary>The name a match ends with: what follows the last white space, colon or equals sign.</summary>
    private static string LastWord(ReadOnlySpan<char> match)
    {
        var start = match.Length;
        while (start > 0 && !char.IsWhiteSpace(match[start - 1]) && match[start - 1] is not (':' or '='))
        {
            start--;
        }

        return match[start..].ToString();
    }

    /// <summary>An anonymised name: letters X, Y or Z only ("Mme XX", "M. XYZ").</summary>
    private static bool IsLetterPlaceholder(string word) => word.AsSpan().TrimStart("XYZ").IsEmpty;

    private static int FirstDigit(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsDigit(text[i]))
            {
                return i;
            }
        }

        return text.Length;
    }

    private static bool SpaceAfter(string text, int from)
    {
        for (var i = from + 1; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]) || !char.IsAscii(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Matches of a number pattern that are not glued to a digit after them nor to a forbidden character
    /// before them. A rejected candidate resumes one character later, so a number hidden inside it is still
    /// found; each candidate is no longer than the pattern's longest match, which keeps the scan linear.
    /// </summary>
    private static IEnumerable<(int Index, int Length)> Bounded(Regex pattern, string text, Func<char, bool> forbiddenBefore)
    {
        var at = 0;
        while (at < text.Length)
        {
            var m = pattern.Match(text, at);
            if (!m.Success)
            {
                yield break;
            }

            var end = m.Index + m.Length;
            var free = (m.Index == 0 || !forbiddenBefore(text[m.Index - 1])) && (end == text.Length || !char.IsDigit(text[end]));
            if (free)
            {
                yield return (m.Index, m.Length);
                at = end;
            }
            else
            {
                at = m.Index + 1;
            }
        }
    }
}
