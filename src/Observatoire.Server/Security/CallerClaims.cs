using System.Security.Claims;
using Observatoire.Core.Access;

namespace Observatoire.Server.Security;

/// <summary>
/// The claims of a caller, the same for an API key and a signed-in account: its id, role, posts and
/// analyst scope. The authorization policies and <see cref="AccessPolicy"/> see one <see cref="CallerScope"/>
/// whichever way the caller proved who it is.
/// </summary>
public static class CallerClaims
{
    /// <summary>The posts a "poste" caller acts for, one claim per post.</summary>
    public const string Post = "observatoire:poste";

    /// <summary>The area an analyst may read ("national", "region:76", "departement:48").</summary>
    public const string Scope = "observatoire:perimetre";

    public static IEnumerable<Claim> Of(string callerId, Role role, IEnumerable<string> posts, AnalystScope? scope)
    {
        ArgumentNullException.ThrowIfNull(posts);
        yield return new Claim(ClaimTypes.NameIdentifier, callerId);
        yield return new Claim(ClaimTypes.Role, RoleNames.Of(role));
        foreach (var post in posts)
        {
            yield return new Claim(Post, post);
        }

        if (scope is { } area)
        {
            yield return new Claim(Scope, area.ToString());
        }
    }

    /// <summary>The caller these claims describe, or null when they do not name a known role.</summary>
    public static CallerScope? ScopeOf(ClaimsPrincipal principal, string remoteAddress)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.FindFirstValue(ClaimTypes.NameIdentifier) is not { Length: > 0 } id
            || !RoleNames.TryParse(principal.FindFirstValue(ClaimTypes.Role), out var role))
        {
            return null;
        }

        var posts = principal.FindAll(Post).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new CallerScope(id, role, posts, AnalystScope.TryParse(principal.FindFirstValue(Scope), out var scope) ? scope : null, remoteAddress);
    }
}
