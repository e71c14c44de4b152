using System.Text;

namespace EdgeCloud.Kube.Patching;

/// <summary>
/// A JSON Pointer (RFC 6901): the empty string names the whole document, otherwise each <c>/</c>-prefixed token
/// names an object member or an array index, with <c>~1</c> standing for <c>/</c> and <c>~0</c> for <c>~</c>.
/// </summary>
public sealed class JsonPointer
{
    private readonly string _text;

    private JsonPointer(string text, IReadOnlyList<string> tokens)
    {
        _text = text;
        Tokens = tokens;
    }

    /// <summary>The unescaped reference tokens, outermost first; empty for the whole document.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>True for the pointer to the whole document.</summary>
    public bool IsRoot => Tokens.Count == 0;

    /// <summary>Parses <paramref name="text"/>; throws a 422 <see cref="PatchException"/> when it is not a pointer.</summary>
    public static JsonPointer Parse(string text)
    {
        if (text.Length == 0)
        {
            return new JsonPointer(text, []);
        }

        if (text[0] != '/')
        {
            throw PatchException.Unprocessable($"invalid JSON pointer \"{text}\": a non-empty pointer must start with '/'");
        }

        var tokens = new List<string>();
        var current = new StringBuilder();
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '/')
            {
                tokens.Add(current.ToString());
                current.Clear();
                continue;
            }

            if (text[i] != '~')
            {
                current.Append(text[i]);
                continue;
            }

            // RFC 6901 section 3: '~' only ever starts the escapes "~0" and "~1".
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            current.Append(next switch
            {
                '0' => '~',
                '1' => '/',
                _ => throw PatchException.Unprocessable($"invalid JSON pointer \"{text}\": '~' must be followed by '0' or '1'"),
            });
            i++;
        }

        return new JsonPointer(text, tokens);
    }

    /// <summary>Escapes one reference token: <c>~</c> becomes <c>~0</c>, <c>/</c> becomes <c>~1</c>.</summary>
    public static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <summary>
    /// Reads an array index token: decimal digits without leading zeros (RFC 6901 section 4), so "01", "+1" and
    /// "-1" are not indexes. Returns false for anything else, including "-" (the past-the-end marker).
    /// </summary>
    public static bool TryParseIndex(string token, out int index)
    {
        index = 0;
        if (token.Length == 0 || (token.Length > 1 && token[0] == '0'))
        {
            return false;
        }

        foreach (var c in token)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            if (index > (int.MaxValue - (c - '0')) / 10)
            {
                return false;
            }

            index = (index * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>True when this pointer names <paramref name="other"/> or something inside it.</summary>
    public bool StartsWith(JsonPointer other)
    {
        if (other.Tokens.Count > Tokens.Count)
        {
            return false;
        }

        for (var i = 0; i < other.Tokens.Count; i++)
        {
            if (!string.Equals(Tokens[i], other.Tokens[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The pointer as written.</summary>
    public override string ToString() => _text;
}
