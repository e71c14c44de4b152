using System.Buffers.Binary;

namespace EdgeCloud.LoadTests;

/// <summary>
/// The value the watch writer sends: its Stopwatch timestamp taken just before the write call, and whether the
/// write is inside the measured window (after the warm-up). Stopwatch timestamps are CLOCK_MONOTONIC on Linux,
/// so a watcher in another process on the same machine can subtract them too.
/// </summary>
internal static class WatchProbe
{
    private const int HeaderBytes = 9;

    public static void Write(byte[] value, long timestamp, bool measured)
    {
        BinaryPrimitives.WriteInt64LittleEndian(value, timestamp);
        value[8] = measured ? (byte)1 : (byte)0;
    }

    /// <summary>The timestamp of a measured probe; null for a warm-up probe or any other value.</summary>
    public static long? ReadMeasured(ReadOnlySpan<byte> value) =>
        value.Length >= HeaderBytes && value[8] == 1 ? BinaryPrimitives.ReadInt64LittleEndian(value) : null;
}
