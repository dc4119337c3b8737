using System.Security.Cryptography;

namespace Observatoire.Server.Security;

/// <summary>
/// API keys look like "obs_&lt;id&gt;_&lt;secret&gt;": the id (12 lower-case letters or digits) finds the stored
/// hash without scanning, the secret (43 base64url characters of 32 random bytes) proves the caller holds the key.
/// </summary>
public static class ApiKeyFormat
{
    public const string Prefix = "obs_";
    public const int IdLength = 12;
    public const int MinSecretLength = 32;
    public const int MaxSecretLength = 200;

    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A new random key and its id.</summary>
    public static (string Id, string Key) Generate()
    {
        var id = RandomNumberGenerator.GetString(IdAlphabet, IdLength);
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (id, $"{Prefix}{id}_{secret}");
    }

    /// <summary>Splits a presented key into id and secret; false when it has not the form of a key.</summary>
    public static bool TryParse(string? key, out string id, out string secret)
    {
        id = secret = "";
        if (key is null || !key.StartsWith(Prefix, StringComparison.Ordinal) || key.Length < Prefix.Length + IdLength + 1 + MinSecretLength
            || key.Length > Prefix.Length + IdLength + 1 + MaxSecretLength || key[Prefix.Length + IdLength] != '_')
        {
            return false;
        }

        var candidate = key.Substring(Prefix.Length, IdLength);
        if (!candidate.All(c => IdAlphabet.Contains(c)))
        {
            return false;
        }

        var rest = key[(Prefix.Length + IdLength + 1)..];
        if (!rest.All(c => c is > ' ' and < (char)127))
        {
            return false;
        }

        (id, secret) = (candidate, rest);
        return true;
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
