using Microsoft.AspNetCore.Identity;

namespace Observatoire.Server.Web.Accounts;

/// <summary>
/// Signing in and out, saying nothing of which accounts exist: an unknown name costs the same password hash as a known
/// one and gets the same answer, a locked account too; signing out ends every session of the account, so that a cookie
/// copied before (a shared computer, a proxy's log) stops working within <see cref="AccountOptions.SessionCheckSeconds"/>.
/// </summary>
internal sealed class SignInDesk(UserManager<AccountUser> users, SignInManager<AccountUser> signIn)
{
    /// <summary>The one answer to a refused sign-in, whatever the reason (no such account, wrong password, locked).</summary>
    public const string Refusal = "Identifiant ou mot de passe incorrect. Après plusieurs essais infructueux, un compte est verrouillé quelques minutes ; l'administration nationale peut le débloquer.";

    // The hash an unknown name is checked against, made once by the server's own hasher (same algorithm and cost).
    private static string? _nobodyHash;

    /// <summary>Whether the account signed in (its cookie issued).</summary>
    public async Task<bool> SignInAsync(string userName, string password)
    {
        if (await users.FindByNameAsync(userName) is not { } user)
        {
            var nobody = new AccountUser { UserName = "personne" };
            _nobodyHash ??= users.PasswordHasher.HashPassword(nobody, Guid.NewGuid().ToString("N"));
            users.PasswordHasher.VerifyHashedPassword(nobody, _nobodyHash, password);
            return false;
        }

        return (await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true)).Succeeded;
    }

    /// <summary>Signs this session out, and every other one of the account (its security stamp changes).</summary>
    public async Task SignOutAsync(System.Security.Claims.ClaimsPrincipal principal)
    {
        if (await users.GetUserAsync(principal) is { } user)
        {
            await users.UpdateSecurityStampAsync(user);
        }

        await signIn.SignOutAsync();
    }
}
