namespace Observatoire.Server.Web.Accounts;

/// <summary>Web account settings, bound to the "Security" section next to the API-key settings.</summary>
public sealed class AccountOptions
{
    /// <summary>
    /// Creates the account "admin" (role admin) with this password when no admin account exists yet,
    /// ignored afterwards (default none). At least 12 characters.
    /// </summary>
    public string? BootstrapAdminPassword { get; set; }

    /// <summary>Failed sign-ins before an account is locked (default 5).</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked, in minutes (default 15).</summary>
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>
    /// How often a signed-in session checks that its account's security stamp is unchanged, in seconds (default 60;
    /// 0 checks on every request). A password change or reset changes the stamp: other sessions end at their next check.
    /// </summary>
    public int SessionCheckSeconds { get; set; } = 60;
}
