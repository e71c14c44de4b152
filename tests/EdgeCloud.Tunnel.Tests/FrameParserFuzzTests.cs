using System.Buffers;
using EdgeCloud.Tunnel.Framing;

namespace EdgeCloud.Tunnel.Tests;

/// <summary>
/// Random and mutated input: the parser must never throw, must always consume a whole frame or nothing, and a
/// frame it accepts must be exactly what the writer would produce for it (so nothing invalid slips through as valid).
/// </summary>
public sealed class FrameParserFuzzTests
{
    private static readonly byte[][] Seeds = FrameParserTests.ValidFrames().Select(row => row.Data).ToArray();

    [Fact]
    public void Random_bytes_never_throw_and_parsing_always_terminates()
    {
        var random = new Random(20240501);
        var outcomes = new int[3];
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            if (bytes.Length > 0 && random.Next(2) == 0)
            {
                bytes[0] = FrameParser.Version;
            }

            outcomes[(int)ParseAll(bytes, random)]++;
        }

        // The generator must reach all three outcomes, or the test proves little.
        Assert.All(outcomes, count => Assert.True(count > 0));
    }

    [Fact]
    public void Mutated_valid_frames_never_throw_and_accepted_frames_reencode_exactly()
    {
        var random = new Random(5);
        var accepted = 0;
        for (var i = 0; i < 30_000; i++)
        {
            var bytes = Mutate(Seeds[random.Next(Seeds.Length)], random);
            if (ParseAll(bytes, random) == FrameParseStatus.Frame)
            {
                accepted++;
            }
        }

        Assert.True(accepted > 0);
    }

    /// <summary>Parses frame after frame until the input needs more or is invalid; returns the last status.</summary>
    private static FrameParseStatus ParseAll(byte[] bytes, Random random)
    {
        var sequence = random.Next(2) == 0 ? new ReadOnlySequence<byte>(bytes) : TestSequences.Split(bytes, random);
        var last = FrameParseStatus.NeedMore;
        for (var frames = 0; ; frames++)
        {
            Assert.True(frames <= bytes.Length, "the parser returned more frames than there are bytes");
            var before = sequence;
            var status = FrameParser.TryParse(ref sequence, out var frame, out var error);
            switch (status)
            {
                case FrameParseStatus.Frame:
                    var consumed = before.Slice(0, before.Length - sequence.Length).ToArray();
                    Assert.Equal(consumed, Reencode(frame));
                    last = status;
                    continue;
                case FrameParseStatus.NeedMore:
                    Assert.Equal(before.Length, sequence.Length);
                    Assert.Null(error);
                    return frames > 0 ? last : status;
                default:
                    Assert.Equal(before.Length, sequence.Length);
                    Assert.False(string.IsNullOrEmpty(error));
                    return status;
            }
        }
    }

    private static byte[] Reencode(TunnelFrame frame)
    {
        var payload = frame.Payload.ToArray();
        var buffer = new byte[FrameParser.MaxHeaderLength + payload.Length];
        return buffer[..FrameWriter.Write(buffer, frame.Type, frame.StreamId, payload)];
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = seed.Length > 300 ? seed[..300] : (byte[])seed.Clone();
        switch (random.Next(5))
        {
            case 0:
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                bytes[random.Next(Math.Min(bytes.Length, 8))] = (byte)random.Next(256);
                return bytes;
            case 2:
                return bytes[..random.Next(bytes.Length)];
            case 3:
                var other = Seeds[random.Next(Seeds.Length)];
                return [.. bytes, .. other.Length > 300 ? other[..300] : other];
            default:
                var extra = new byte[random.Next(1, 16)];
                random.NextBytes(extra);
                var at = random.Next(bytes.Length);
                return [.. bytes[..at], .. extra, .. bytes[at..]];
        }
    }
}
