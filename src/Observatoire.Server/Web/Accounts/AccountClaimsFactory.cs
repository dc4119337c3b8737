using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Observatoire.Core.Access;
using Observatoire.Server.Security;

namespace Observatoire.Server.Web.Accounts;

/// <summary>Signs an account in with the claims an API key of the same role, posts and scope produces.</summary>
internal sealed class AccountClaimsFactory(UserManager<AccountUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AccountUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AccountUser user)
    {
        // Identity's own user id goes under AccountClaimTypes.UserId (see WebAccounts), which leaves
        // NameIdentifier to the caller id, as for a key.
        var identity = await base.GenerateClaimsAsync(user);

        if (RoleNames.TryParse(user.Role, out var role))
        {
            identity.AddClaims(CallerClaims.Of(
                user.CallerId,
                role,
                user.Posts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                AnalystScope.TryParse(user.Scope, out var scope) ? scope : null));
        }

        return identity;
    }
}
