using Microsoft.AspNetCore.Identity;

namespace Observatoire.Server.Web.Accounts;

/// <summary>A person who signs in to the web pages, with the same role, posts and scope an API key carries.</summary>
public sealed class AccountUser : IdentityUser
{
    /// <summary>User names are short: the audit log records "compte:&lt;name&gt;" in a 32-character column.</summary>
    public const int MaxUserNameLength = 24;

    /// <summary>"poste", "analyste", "rapport" or "admin".</summary>
    public string Role { get; set; } = "";

    /// <summary>Posts a "poste" account acts for, comma-separated.</summary>
    public string Posts { get; set; } = "";

    /// <summary>The area of an "analyste" account ("national", "region:76", "departement:48").</summary>
    public string? Scope { get; set; }

    /// <summary>The caller id this account leaves in the audit log and campaign decisions.</summary>
    public string CallerId => $"compte:{UserName}";
}
