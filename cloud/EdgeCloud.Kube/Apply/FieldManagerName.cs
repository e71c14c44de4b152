using System.Globalization;
using System.Text;

namespace EdgeCloud.Kube.Apply;

/// <summary>
/// The fieldManager query parameter: its default when a client sends none, and its validation, as kube-apiserver
/// does both (k8s.io/apiserver endpoints handlers and apimachinery's ValidateFieldManager).
/// </summary>
public static class FieldManagerName
{
    /// <summary>Longest manager name accepted, in UTF-8 bytes.</summary>
    public const int MaxLength = 128;

    /// <summary>
    /// The manager recorded for a write without fieldManager: the User-Agent up to its first "/" (kubectl's
    /// "kubectl/v1.30.0 (linux/amd64) ..." becomes "kubectl"), unprintable characters dropped, cut to
    /// <see cref="MaxLength"/> bytes without splitting a character. Apply requests have no default.
    /// </summary>
    public static string Default(string? userAgent)
    {
        var prefix = (userAgent ?? string.Empty).Split('/')[0];
        var builder = new StringBuilder();
        var bytes = 0;
        foreach (var rune in prefix.EnumerateRunes())
        {
            if (!IsPrintable(rune))
            {
                continue;
            }

            if (bytes + rune.Utf8SequenceLength > MaxLength)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }

    /// <summary>
    /// The error kube-apiserver returns (as a 400 BadRequest message) for an invalid fieldManager, or null when
    /// it is valid. An empty name is valid here: it means "use the default".
    /// </summary>
    public static string? Validate(string fieldManager)
    {
        ArgumentNullException.ThrowIfNull(fieldManager);
        var errors = new List<string>();
        if (Encoding.UTF8.GetByteCount(fieldManager) > MaxLength)
        {
            errors.Add($"fieldManager: Too long: may not be more than {MaxLength} bytes");
        }

        // Go ranges over a string by byte offset, so the reported index is a UTF-8 byte index.
        var offset = 0;
        foreach (var rune in fieldManager.EnumerateRunes())
        {
            if (!IsPrintable(rune))
            {
                errors.Add($"fieldManager: Invalid value: {CanonicalJson.GoQuote(fieldManager)}: invalid character U+{rune.Value:X4} (at index {offset.ToString(CultureInfo.InvariantCulture)})");
            }

            offset += rune.Utf8SequenceLength;
        }

        // field.ErrorList.ToAggregate prints one error bare and several in brackets.
        return errors.Count switch
        {
            0 => null,
            1 => errors[0],
            _ => "[" + string.Join(", ", errors) + "]",
        };
    }

    /// <summary>Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    internal static bool IsPrintable(Rune rune)
    {
        if (rune.Value == ' ')
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
            UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation => true,
            UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
                or UnicodeCategory.OtherSymbol => true,
            _ => false,
        };
    }
}
