namespace Observatoire.Server.Web.Accounts;

/// <summary>
/// The data-protection key ring that signs and encrypts the sign-in cookies and antiforgery tokens, bound to the
/// "DataProtection" section. Its keys live in the database (table DataProtectionKeys), shared by every instance.
/// </summary>
public sealed class KeyRingOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>
    /// Isolates the cookies of one deployment (default "Observatoire"): instances read each other's cookies only with the
    /// same name and the same database. Changing it signs everyone out once.
    /// </summary>
    public string ApplicationName { get; set; } = "Observatoire";
}
