using System.Security.Cryptography;
using System.Text;

namespace EdgeCloud.Tenancy;

/// <summary>
/// Account passwords, hashed with PBKDF2-HMAC-SHA256 (the framework's <see cref="Rfc2898DeriveBytes"/>) at
/// 600,000 iterations, OWASP's 2023 recommendation for that function, with a random 128-bit salt. Stored as
/// <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt, base64&gt;$&lt;hash, base64&gt;</c>, so the iteration count can be raised later
/// without breaking stored hashes. A hash costs about a third of a second of one core: the callers limit how many
/// run at once (<see cref="Accounts"/>).
/// </summary>
public static class PasswordHashing
{
    /// <summary>Iterations of new hashes.</summary>
    public const int Iterations = 600_000;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>A new salted hash of <paramref name="password"/>.</summary>
    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, Iterations);
        return $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>
    /// Whether <paramref name="password"/> matches <paramref name="encoded"/> (compared in constant time). A
    /// malformed stored hash never matches.
    /// </summary>
    public static bool Verify(string password, string encoded)
    {
        var parts = encoded.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], out var iterations) || iterations < 100_000)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        return expected.Length == HashBytes && CryptographicOperations.FixedTimeEquals(Derive(password, salt, iterations), expected);
    }

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
