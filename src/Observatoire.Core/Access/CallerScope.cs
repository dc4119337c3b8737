using Observatoire.Core.Consolidation;

namespace Observatoire.Core.Access;

/// <summary>What a caller is: an ISCG post, an analyst, the report job or the national administrator.</summary>
public enum Role
{
    /// <summary>"poste": submits and reads the grids and raw figures of its own posts.</summary>
    Poste = 1,

    /// <summary>"analyste": reads consolidated figures within its scope, under statistical secrecy below the national level.</summary>
    Analyste = 2,

    /// <summary>"rapport": the report job, charts and reports of every area, suppressed figures only.</summary>
    Rapport = 3,

    /// <summary>"admin": registry, keys, campaigns, raw figures, audit.</summary>
    Admin = 4,
}

/// <summary>The area an analyst may read: the nation, one region or one department.</summary>
public readonly record struct AnalystScope(AreaLevel Level, string Code)
{
    public static AnalystScope National => new(AreaLevel.National, "");

    /// <summary>Parses "national", "region:76" or "departement:48" (case-insensitive keyword, codes upper-cased).</summary>
    public static bool TryParse(string? text, out AnalystScope scope)
    {
        scope = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Trim().Split(':', 2);
        var keyword = parts[0].ToLowerInvariant();
        var code = parts.Length == 2 ? parts[1].Trim().ToUpperInvariant() : "";
        switch (keyword)
        {
            case "national" when parts.Length == 1:
                scope = National;
                return true;
            case "region" or "région" when IsCode(code):
                scope = new AnalystScope(AreaLevel.Region, code);
                return true;
            case "departement" or "département" when IsCode(code):
                scope = new AnalystScope(AreaLevel.Department, code);
                return true;
            default:
                return false;
        }
    }

    public override string ToString() => Level switch
    {
        AreaLevel.National => "national",
        AreaLevel.Region => $"region:{Code}",
        _ => $"departement:{Code}",
    };

    private static bool IsCode(string code) => code.Length is > 0 and <= 3 && code.All(char.IsAsciiLetterOrDigit);
}

/// <summary>
/// The caller of one call, resolved once from its credentials: its key id (never the key), role,
/// the posts of a "poste" key, the scope of an "analyste" key, and the address it called from.
/// </summary>
public sealed record CallerScope(string KeyId, Role Role, IReadOnlySet<string> Posts, AnalystScope? Scope, string RemoteAddress)
{
    /// <summary>True for the national administrator.</summary>
    public bool IsAdmin => Role == Role.Admin;

    /// <summary>True when the caller acts for this post (a "poste" key listing it).</summary>
    public bool ActsFor(string postId) => Role == Role.Poste && Posts.Contains(postId);
}
