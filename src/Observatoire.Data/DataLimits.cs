namespace Observatoire.Data;

/// <summary>Maximum lengths declared on the columns (SQLite does not enforce them; validate before saving).</summary>
public static class DataLimits
{
    public const int RegionCode = 3;
    public const int DepartmentCode = 3;
    public const int Name = 200;
    public const int PostId = 64;
    public const int Period = 16;
    public const int SchemaVersion = 64;
    public const int ClientId = 128;
    public const int SubmissionId = 128;
    public const int ContentHash = 64;
    public const int Comment = 4000;
    public const int KeyId = 32;
    public const int KeyPosts = 2000;
    public const int KeyScope = 32;
    public const int RemoteAddress = 64;
    public const int AuditAction = 64;
    public const int AuditTarget = 256;
    public const int EditionName = 32;
}
