using System.Numerics;

namespace EdgeCloud.Kube.Api;

/// <summary>
/// A Kubernetes resource quantity (apimachinery resource.Quantity) as a number: <c>100m</c>, <c>0.5</c>, <c>2</c>,
/// <c>128Mi</c>, <c>1G</c>, <c>1e3</c>, <c>1.5k</c>. Held in thousandths, rounded up away from zero, and capped at
/// 2^63-1 in magnitude, as the Kubernetes documentation of quantities promises ("numbers larger or more precise will
/// be capped or rounded up").
/// </summary>
public readonly struct ResourceQuantity : IEquatable<ResourceQuantity>, IComparable<ResourceQuantity>
{
    // Quantities never exceed 2^63-1 units; in thousandths that needs more than a long.
    private static readonly Int128 MaxMilli = (Int128)long.MaxValue * 1000;
    private static readonly BigInteger MaxMilliBig = (BigInteger)long.MaxValue * 1000;

    private readonly Int128 _milli;

    private ResourceQuantity(Int128 milli) => _milli = milli;

    /// <summary>The zero quantity.</summary>
    public static ResourceQuantity Zero => default;

    /// <summary>A quantity of <paramref name="milli"/> thousandths (<c>FromMilli(250)</c> is <c>250m</c>).</summary>
    public static ResourceQuantity FromMilli(long milli) => new(milli);

    /// <summary>True when the quantity is exactly zero.</summary>
    public bool IsZero => _milli == 0;

    /// <summary>
    /// Parses the quantity grammar of resource.ParseQuantity: an optional sign, digits with an optional fraction,
    /// then nothing, a decimal SI suffix (<c>n u m k M G T P E</c>), a binary suffix (<c>Ki Mi Gi Ti Pi Ei</c>) or a
    /// decimal exponent (<c>e3</c>, <c>E-2</c>). No spaces. False for anything else.
    /// </summary>
    public static bool TryParse(string? text, out ResourceQuantity quantity)
    {
        quantity = Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var span = text.AsSpan();
        var pos = 0;
        var negative = false;
        if (span[0] is '+' or '-')
        {
            negative = span[0] == '-';
            pos++;
        }

        var wholeStart = pos;
        while (pos < span.Length && char.IsAsciiDigit(span[pos]))
        {
            pos++;
        }

        var whole = span[wholeStart..pos];
        var fraction = ReadOnlySpan<char>.Empty;
        if (pos < span.Length && span[pos] == '.')
        {
            pos++;
            var fractionStart = pos;
            while (pos < span.Length && char.IsAsciiDigit(span[pos]))
            {
                pos++;
            }

            fraction = span[fractionStart..pos];
        }

        if (whole.IsEmpty && fraction.IsEmpty)
        {
            return false;
        }

        if (!TryParseSuffix(span[pos..], out var base10Exponent, out var base2Exponent))
        {
            return false;
        }

        var mantissa = BigInteger.Zero;
        foreach (var digit in whole)
        {
            mantissa = (mantissa * 10) + (digit - '0');
        }

        foreach (var digit in fraction)
        {
            mantissa = (mantissa * 10) + (digit - '0');
        }

        // value = mantissa * 10^(exponent) * 2^(base2Exponent), in thousandths: exponent + 3.
        var exponent = base10Exponent - fraction.Length + 3;
        quantity = new ResourceQuantity(ToMilli(mantissa, exponent, base2Exponent, negative));
        return true;
    }

    /// <summary>Parses like <see cref="TryParse"/>, throwing on bad input.</summary>
    /// <exception cref="FormatException">The text is not a quantity.</exception>
    public static ResourceQuantity Parse(string text) =>
        TryParse(text, out var quantity)
            ? quantity
            : throw new FormatException($"quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': \"{text}\"");

    /// <summary>The quantity in thousandths, as Quantity.MilliValue: <c>0.1</c> is 100, <c>1</c> is 1000; saturates at the long range.</summary>
    public long ToMilli() => _milli > long.MaxValue ? long.MaxValue : _milli < long.MinValue ? long.MinValue : (long)_milli;

    /// <summary>The quantity in whole units, rounded up away from zero as Quantity.Value: <c>100m</c> is 1, <c>1Ki</c> is 1024.</summary>
    public long ToValue()
    {
        var units = Int128.DivRem(_milli, 1000);
        var value = units.Quotient + (units.Remainder > 0 ? 1 : units.Remainder < 0 ? -1 : 0);
        return (long)value;
    }

    /// <summary>The sum, capped at 2^63-1 units in magnitude as every quantity is.</summary>
    public static ResourceQuantity operator +(ResourceQuantity left, ResourceQuantity right) =>
        new(Int128.Clamp(left._milli + right._milli, -MaxMilli, MaxMilli));

    /// <inheritdoc />
    public int CompareTo(ResourceQuantity other) => _milli.CompareTo(other._milli);

    /// <inheritdoc />
    public bool Equals(ResourceQuantity other) => _milli == other._milli;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ResourceQuantity other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _milli.GetHashCode();

    /// <summary>The quantity in thousandths with an <c>m</c> suffix, or whole units when exact: <c>1500m</c>, <c>2</c>.</summary>
    public override string ToString() =>
        _milli % 1000 == 0
            ? (_milli / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : _milli.ToString(System.Globalization.CultureInfo.InvariantCulture) + "m";

    /// <summary>Equal quantities.</summary>
    public static bool operator ==(ResourceQuantity left, ResourceQuantity right) => left.Equals(right);

    /// <summary>Different quantities.</summary>
    public static bool operator !=(ResourceQuantity left, ResourceQuantity right) => !left.Equals(right);

    /// <summary>Smaller quantity.</summary>
    public static bool operator <(ResourceQuantity left, ResourceQuantity right) => left._milli < right._milli;

    /// <summary>Larger quantity.</summary>
    public static bool operator >(ResourceQuantity left, ResourceQuantity right) => left._milli > right._milli;

    /// <summary>Smaller or equal quantity.</summary>
    public static bool operator <=(ResourceQuantity left, ResourceQuantity right) => left._milli <= right._milli;

    /// <summary>Larger or equal quantity.</summary>
    public static bool operator >=(ResourceQuantity left, ResourceQuantity right) => left._milli >= right._milli;

    private static bool TryParseSuffix(ReadOnlySpan<char> suffix, out int base10Exponent, out int base2Exponent)
    {
        base10Exponent = 0;
        base2Exponent = 0;
        switch (suffix)
        {
            case "": return true;
            case "n": base10Exponent = -9; return true;
            case "u": base10Exponent = -6; return true;
            case "m": base10Exponent = -3; return true;
            case "k": base10Exponent = 3; return true;
            case "M": base10Exponent = 6; return true;
            case "G": base10Exponent = 9; return true;
            case "T": base10Exponent = 12; return true;
            case "P": base10Exponent = 15; return true;
            case "E": base10Exponent = 18; return true;
            case "Ki": base2Exponent = 10; return true;
            case "Mi": base2Exponent = 20; return true;
            case "Gi": base2Exponent = 30; return true;
            case "Ti": base2Exponent = 40; return true;
            case "Pi": base2Exponent = 50; return true;
            case "Ei": base2Exponent = 60; return true;
        }

        // A decimal exponent: e or E, an optional sign, at least one digit.
        if (suffix.Length < 2 || suffix[0] is not ('e' or 'E'))
        {
            return false;
        }

        var digits = suffix[1..];
        var negative = false;
        if (digits[0] is '+' or '-')
        {
            negative = digits[0] == '-';
            digits = digits[1..];
        }

        if (digits.IsEmpty)
        {
            return false;
        }

        var exponent = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            // Anything past a few dozen digits of exponent is capped or rounded anyway; keep the int from overflowing.
            exponent = Math.Min((exponent * 10) + (c - '0'), 100_000);
        }

        base10Exponent = negative ? -exponent : exponent;
        return true;
    }

    private static Int128 ToMilli(BigInteger mantissa, int exponent, int base2Exponent, bool negative)
    {
        if (mantissa.IsZero)
        {
            return 0;
        }

        BigInteger magnitude;
        if (exponent >= 0)
        {
            // 10^40 thousandths is past the cap for any non-zero mantissa.
            magnitude = exponent > 40 ? MaxMilliBig : mantissa * BigInteger.Pow(10, exponent) << base2Exponent;
        }
        else if (-exponent > 60 + mantissa.GetByteCount() * 3)
        {
            // Far below one thousandth, however large the mantissa: rounds up to 1m.
            magnitude = 1;
        }
        else
        {
            var divisor = BigInteger.Pow(10, -exponent);
            var quotient = BigInteger.DivRem(mantissa << base2Exponent, divisor, out var remainder);
            magnitude = remainder.IsZero ? quotient : quotient + 1;
        }

        var capped = magnitude > MaxMilliBig ? MaxMilli : (Int128)magnitude;
        return negative ? -capped : capped;
    }
}
