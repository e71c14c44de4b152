using System.Security.Cryptography;

namespace EdgeCloud.Tenancy;

/// <summary>
/// Random ids for accounts, tenants and clusters: lower-case letters and digits only (a DNS label, so a cluster id
/// is a valid store cluster and URL segment as is), 60 random bits and more, never derived from names, so an id
/// reveals nothing and cannot be guessed from another tenant's.
/// </summary>
public static class TenancyIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A new id: <paramref name="prefix"/> then 12 random characters (62 bits).</summary>
    public static string New(string prefix) => prefix + RandomNumberGenerator.GetString(Alphabet, 12);

    /// <summary>
    /// Whether <paramref name="id"/> has the exact shape of an id with <paramref name="prefix"/>: anything else
    /// (other case, padding, encoded characters, dots) is refused before any lookup.
    /// </summary>
    public static bool IsWellFormed(string? id, string prefix)
    {
        if (id is null || id.Length != prefix.Length + 12 || !id.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in id.AsSpan(prefix.Length))
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
