using System.Buffers;

namespace EdgeCloud.Tunnel.Tests;

/// <summary>Builds multi-segment sequences, to parse frames the way they arrive over several reads.</summary>
internal static class TestSequences
{
    public static ReadOnlySequence<byte> Split(byte[] bytes, Random random)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Segment? first = null;
        Segment? last = null;
        var offset = 0;
        while (offset < bytes.Length)
        {
            var length = Math.Min(bytes.Length - offset, random.Next(1, 9));
            var segment = new Segment(bytes.AsMemory(offset, length), offset);
            if (last is null)
            {
                first = segment;
            }
            else
            {
                last.SetNext(segment);
            }

            last = segment;
            offset += length;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
