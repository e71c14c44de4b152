using System.Buffers.Binary;
using System.Text;

namespace EdgeCloud.Server.NodeProxy.Spdy;

/// <summary>
/// The uncompressed name/value block of SYN_STREAM, SYN_REPLY and HEADERS (draft 3, section 2.6.10):
/// a 32-bit count, then per pair a 32-bit length and the name, a 32-bit length and the value (NUL-separated values).
/// Also writes the server's header blocks: valid zlib made of stored deflate blocks within the direction's stream.
/// </summary>
internal static class SpdyHeaderBlock
{
    /// <summary>The pairs of a decompressed block; names lower-cased.</summary>
    /// <exception cref="SpdyProtocolException">The block is malformed.</exception>
    public static Dictionary<string, string> Parse(ReadOnlySpan<byte> block)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        var count = ReadLength(ref block);
        for (var i = 0; i < count; i++)
        {
            var name = ReadString(ref block);
            var value = ReadString(ref block);
            if (name.Length == 0)
            {
                throw new SpdyProtocolException("SPDY header with an empty name");
            }

            pairs[name.ToLowerInvariant()] = value;
        }

        if (!block.IsEmpty)
        {
            throw new SpdyProtocolException("SPDY header block has bytes after its last pair");
        }

        return pairs;
    }

    /// <summary>A compressed header block of <paramref name="pairs"/>; the first one of a connection carries the zlib header.</summary>
    public static byte[] Compress(IReadOnlyList<KeyValuePair<string, string>> pairs, bool first)
    {
        var raw = new List<byte>();
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(number, (uint)pairs.Count);
        raw.AddRange(number);
        foreach (var (name, value) in pairs)
        {
            foreach (var text in (string[])[name, value])
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                BinaryPrimitives.WriteUInt32BigEndian(number, (uint)bytes.Length);
                raw.AddRange(number);
                raw.AddRange(bytes);
            }
        }

        if (raw.Count > ushort.MaxValue)
        {
            throw new ArgumentException("SPDY reply headers too large for one stored block", nameof(pairs));
        }

        var output = new List<byte>(raw.Count + 16);
        if (first)
        {
            // CMF 0x78 (deflate, 32 KiB window), FLG 0xBB (FDICT set, check bits valid), then the dictionary's id.
            output.AddRange([0x78, 0xBB]);
            BinaryPrimitives.WriteUInt32BigEndian(number, SpdyDictionary.Adler32);
            output.AddRange(number);
        }

        // One non-final stored block (BFINAL 0, BTYPE 00, padding, LEN, NLEN, data), then the empty stored block a
        // sync flush ends with. The marker matters: Go's inflater hands out a stored block's data only once it has
        // read the next block's header, and reading past the frame would poison its stream for every later frame.
        output.Add(0);
        output.Add((byte)raw.Count);
        output.Add((byte)(raw.Count >> 8));
        output.Add((byte)~raw.Count);
        output.Add((byte)(~raw.Count >> 8));
        output.AddRange(raw);
        output.AddRange([0x00, 0x00, 0x00, 0xFF, 0xFF]);
        return [.. output];
    }

    private static int ReadLength(ref ReadOnlySpan<byte> block)
    {
        if (block.Length < 4)
        {
            throw new SpdyProtocolException("SPDY header block is truncated");
        }

        var value = BinaryPrimitives.ReadUInt32BigEndian(block);
        block = block[4..];
        if (value > (uint)block.Length)
        {
            throw new SpdyProtocolException("SPDY header length runs past the block");
        }

        return (int)value;
    }

    private static string ReadString(ref ReadOnlySpan<byte> block)
    {
        var length = ReadLength(ref block);
        var text = Encoding.UTF8.GetString(block[..length]);
        block = block[length..];
        return text;
    }
}
