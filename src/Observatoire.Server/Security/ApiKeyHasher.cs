using System.Security.Cryptography;
using System.Text;

namespace Observatoire.Server.Security;

/// <summary>Salted PBKDF2-SHA256 of a key's secret: the database never holds a usable key.</summary>
public static class ApiKeyHasher
{
    private const int HashLength = 32;

    public static (byte[] Salt, byte[] Hash) Hash(string secret, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return (salt, Derive(secret, salt, iterations));
    }

    public static bool Verify(string secret, byte[] salt, byte[] hash, int iterations) =>
        CryptographicOperations.FixedTimeEquals(Derive(secret, salt, iterations), hash);

    private static byte[] Derive(string secret, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, Math.Max(iterations, 1), HashAlgorithmName.SHA256, HashLength);
}
