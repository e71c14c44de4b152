using System.Globalization;

namespace EdgeCloud.Agent.Pods;

/// <summary>
/// Reads a Kubernetes resource quantity (<c>250m</c>, <c>0.5</c>, <c>128Mi</c>, <c>1G</c>, <c>1e3</c>) as a number of
/// base units. The API server has validated the grammar already; this is the agent's reading of it, and anything it
/// cannot read is refused rather than guessed.
/// </summary>
internal static class ResourceQuantityText
{
    // Binary suffixes first: "Mi" must not be read as "M" followed by garbage.
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("Pi", 1024m * 1024 * 1024 * 1024 * 1024), ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), ("k", 1e3m), ("M", 1e6m), ("G", 1e9m), ("T", 1e12m),
        ("P", 1e15m), ("E", 1e18m),
    ];

    /// <summary>The quantity's value in base units (bytes, cores); false when <paramref name="text"/> is not a quantity or is out of range.</summary>
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var number = text.AsSpan();
        var factor = 1m;
        if (char.IsAsciiDigit(number[^1]))
        {
            // A plain number, or one with a decimal exponent ("1e3", "5E-2").
            var exponent = number.IndexOfAny('e', 'E');
            if (exponent >= 0)
            {
                if (!int.TryParse(number[(exponent + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var power) || power is < -18 or > 18)
                {
                    return false;
                }

                factor = Pow10(power);
                number = number[..exponent];
            }
        }
        else
        {
            var suffixed = false;
            foreach (var (suffix, scale) in Suffixes)
            {
                if (number.EndsWith(suffix, StringComparison.Ordinal))
                {
                    factor = scale;
                    number = number[..^suffix.Length];
                    suffixed = true;
                    break;
                }
            }

            if (!suffixed)
            {
                return false;
            }
        }

        if (number.IsEmpty
            || !decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var mantissa))
        {
            return false;
        }

        try
        {
            value = mantissa * factor;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static decimal Pow10(int power)
    {
        var result = 1m;
        for (var i = 0; i < Math.Abs(power); i++)
        {
            result *= 10;
        }

        return power < 0 ? 1 / result : result;
    }
}
