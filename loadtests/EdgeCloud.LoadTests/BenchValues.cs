using System.Buffers.Text;

namespace EdgeCloud.LoadTests;

/// <summary>The values the benchmark writes: fixed-size ASCII with a counter up front, like a small serialized object.</summary>
internal static class BenchValues
{
    /// <summary>A new buffer of <paramref name="size"/> bytes.</summary>
    public static byte[] Create(int size)
    {
        var value = new byte[size];
        value.AsSpan().Fill((byte)'x');
        return value;
    }

    /// <summary>Writes <paramref name="counter"/> into the first 20 bytes, so that each write changes the value.</summary>
    public static void Stamp(byte[] value, long counter)
    {
        var head = value.AsSpan(0, Math.Min(20, value.Length));
        head.Fill((byte)'0');
        Utf8Formatter.TryFormat(counter, head, out _);
    }
}
