using System.Buffers.Text;
using System.Text;

namespace EdgeCloud.Store;

/// <summary>
/// The opaque continue token of a paginated list: the revision of the first page and the last key returned.
/// Kubernetes' own tokens carry the same two facts (API concepts, "Retrieving large results sets in chunks").
/// </summary>
internal readonly record struct ListContinuation(long Revision, string LastKey)
{
    private const string Version = "v1";

    public string Encode() => Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{Version}:{Revision}:{LastKey}"));

    public static ListContinuation Decode(string token, string prefix)
    {
        string text;
        try
        {
            text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            throw Malformed();
        }

        var parts = text.Split(':', 3);
        if (parts.Length != 3 || parts[0] != Version || !long.TryParse(parts[1], out var revision) || revision <= 0)
        {
            throw Malformed();
        }

        var lastKey = parts[2];
        if (!lastKey.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new InvalidStoreRequestException("continue", "the token belongs to a list of another prefix");
        }

        return new ListContinuation(revision, lastKey);
    }

    private static InvalidStoreRequestException Malformed() =>
        new("continue", "the token is malformed; pass the token of the previous page unchanged, or start the list again");
}
