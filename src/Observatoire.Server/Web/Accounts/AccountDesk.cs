using Grpc.Core;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Observatoire.Core.Access;
using Observatoire.Server.Audit;
using Observatoire.Server.Security;
using Api = Observatoire.Protos.V1;

namespace Observatoire.Server.Web.Accounts;

/// <summary>An account as the administrator's page lists it, with its lockout.</summary>
internal sealed record AccountRow(string Id, string UserName, string Role, string Posts, string? Scope, DateTimeOffset? LockedUntil, int FailedSignIns);

/// <summary>A refusal said beside one field of a form (its input's name).</summary>
internal sealed record FieldError(string Field, string Message);

/// <summary>
/// The administrator's accounts: created with a role, posts and scope that <see cref="KeyDesk.Grant"/> checks as it
/// checks a key's, a password reset by an admin, an unlock; Identity's own rules and French messages for the rest.
/// Every change is audited. An answer is the list of French errors (empty when done).
/// </summary>
internal sealed class AccountDesk(UserManager<AccountUser> users, SignInManager<AccountUser> signIn, KeyDesk keys, AuditLog audit, TimeProvider clock)
{
    /// <summary>The form fields of an account's own password change.</summary>
    public const string CurrentField = "actuel", NewField = "nouveau", ConfirmationField = "confirmation";

    /// <summary>A longer password is refused before it is hashed.</summary>
    public const int MaxPasswordLength = 256;

    /// <summary>Accounts listed at most (the page is for a national team, not a directory).</summary>
    public const int MaxListed = 500;

    public async Task<IReadOnlyList<AccountRow>> ListAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var accounts = await users.Users.AsNoTracking().OrderBy(u => u.UserName).Take(MaxListed).ToListAsync(ct);
        return [.. accounts.Select(u => new AccountRow(
            u.Id, u.UserName ?? "", u.Role, u.Posts, u.Scope, u.LockoutEnd is { } end && end > now ? end : null, u.AccessFailedCount))];
    }

    public async Task<IReadOnlyList<string>> CreateAsync(CallerScope caller, string userName, string password, Api.Role role, string posts, string scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        userName = userName.Trim();
        if (userName.Length is 0 or > AccountUser.MaxUserNameLength)
        {
            return [$"L'identifiant compte de 1 à {AccountUser.MaxUserNameLength} caractères."];
        }

        (Role Role, IReadOnlyList<string> Posts, AnalystScope? Scope) grant;
        try
        {
            grant = keys.Grant(role, posts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), scope.Trim());
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            return [e.Status.Detail];
        }

        var account = new AccountUser
        {
            UserName = userName,
            Role = RoleNames.Of(grant.Role),
            Posts = string.Join(',', grant.Posts),
            Scope = grant.Scope?.ToString(),
        };
        var result = await users.CreateAsync(account, password);
        if (!result.Succeeded)
        {
            return [.. result.Errors.Select(e => e.Description)];
        }

        await audit.RecordAsync(caller, AuditActions.AccountCreated, account.CallerId, grant.Posts.Count == 1 ? grant.Posts[0] : null, Describe(account), ct);
        return [];
    }

    /// <summary>Sets a new password chosen by the admin; the account's sessions end (new security stamp) and its lockout is lifted.</summary>
    public async Task<IReadOnlyList<string>> ResetPasswordAsync(CallerScope caller, string id, string password, CancellationToken ct)
    {
        if (await users.FindByIdAsync(id) is not { } account)
        {
            return ["Ce compte n'existe pas."];
        }

        var token = await users.GeneratePasswordResetTokenAsync(account);
        var result = await users.ResetPasswordAsync(account, token, password);
        if (!result.Succeeded)
        {
            return [.. result.Errors.Select(e => e.Description)];
        }

        await UnlockAsync(account);
        await audit.RecordAsync(caller, AuditActions.AccountPasswordReset, account.CallerId, null, null, ct);
        return [];
    }

    /// <summary>
    /// The signed-in account changes its own password: the current one is checked (a wrong one counts as a failed
    /// sign-in, so a left-open session cannot try passwords without end), Identity's rules apply to the new one. Done,
    /// the security stamp is new: this session gets a fresh cookie, the account's other sessions end at their next check.
    /// </summary>
    public async Task<IReadOnlyList<FieldError>> ChangeOwnPasswordAsync(
        CallerScope caller, System.Security.Claims.ClaimsPrincipal principal, string current, string password, string confirmation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await users.GetUserAsync(principal) is not { } account)
        {
            return [new FieldError(CurrentField, "Ce compte n'existe plus.")];
        }

        var errors = new List<FieldError>();
        if (current.Length == 0)
        {
            errors.Add(new FieldError(CurrentField, "Saisissez votre mot de passe actuel."));
        }

        if (password.Length == 0)
        {
            errors.Add(new FieldError(NewField, "Saisissez le nouveau mot de passe."));
        }
        else if (password.Length > MaxPasswordLength)
        {
            errors.Add(new FieldError(NewField, $"Le mot de passe compte au plus {MaxPasswordLength} caractères."));
        }
        else if (!string.Equals(password, confirmation, StringComparison.Ordinal))
        {
            errors.Add(new FieldError(ConfirmationField, "La confirmation ne reprend pas le nouveau mot de passe."));
        }
        else if (string.Equals(password, current, StringComparison.Ordinal))
        {
            errors.Add(new FieldError(NewField, "Le nouveau mot de passe doit différer de l'actuel."));
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        if (await users.IsLockedOutAsync(account))
        {
            return [new FieldError(CurrentField, "Ce compte est verrouillé après plusieurs mots de passe incorrects : réessayez plus tard ou demandez à l'administration nationale.")];
        }

        var result = await users.ChangePasswordAsync(account, current, password);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
            {
                await users.AccessFailedAsync(account);
                return [new FieldError(CurrentField, "Le mot de passe actuel est incorrect.")];
            }

            return [.. result.Errors.Select(e => new FieldError(NewField, e.Description))];
        }

        await users.ResetAccessFailedCountAsync(account);
        await signIn.RefreshSignInAsync(account);
        await audit.RecordAsync(caller, AuditActions.AccountOwnPasswordChanged, account.CallerId, null, null, ct);
        return [];
    }

    public async Task<IReadOnlyList<string>> UnlockAsync(CallerScope caller, string id, CancellationToken ct)
    {
        if (await users.FindByIdAsync(id) is not { } account)
        {
            return ["Ce compte n'existe pas."];
        }

        await UnlockAsync(account);
        await audit.RecordAsync(caller, AuditActions.AccountUnlocked, account.CallerId, null, null, ct);
        return [];
    }

    private async Task UnlockAsync(AccountUser account)
    {
        await users.SetLockoutEndDateAsync(account, null);
        await users.ResetAccessFailedCountAsync(account);
    }

    private static string Describe(AccountUser account) =>
        $"rôle {account.Role}" + (account.Posts.Length > 0 ? $", postes {account.Posts}" : "") + (account.Scope is { } s ? $", périmètre {s}" : "");
}
