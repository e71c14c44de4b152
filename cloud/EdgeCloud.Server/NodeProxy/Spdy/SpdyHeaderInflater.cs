using System.Buffers;

namespace EdgeCloud.Server.NodeProxy.Spdy;

/// <summary>
/// Decompresses the header blocks of one direction of a SPDY/3 connection: one zlib stream (RFC 1950) with the
/// <see cref="SpdyDictionary"/> preset, shared by all header blocks, each ending on a block boundary (the sender
/// does a sync flush per frame). .NET's DeflateStream cannot be given a preset dictionary, so this is an inflater
/// of its own (RFC 1951: stored, fixed and dynamic Huffman blocks) with the 32 KiB window kept across blocks.
/// Bad input is a <see cref="SpdyProtocolException"/>, never another exception, and output is bounded.
/// </summary>
internal sealed class SpdyHeaderInflater
{
    /// <summary>The largest decompressed header block accepted: 256 KiB.</summary>
    public const int MaxOutputLength = 256 * 1024;

    private const int WindowSize = 32 * 1024;
    private const int MaxBits = 15;

    private static readonly ushort[] LengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
    private static readonly byte[] LengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
    private static readonly ushort[] DistanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
    private static readonly byte[] DistanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
    private static readonly byte[] CodeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    private static readonly Huffman FixedLiterals = Huffman.Build(FixedLiteralLengths(), "fixed literal");
    private static readonly Huffman FixedDistances = Huffman.Build(Enumerable.Repeat((byte)5, 30).ToArray(), "fixed distance");

    private readonly byte[] _window = new byte[WindowSize];
    private int _windowEnd;
    private long _history;
    private bool _headerRead;
    private bool _ended;

    public SpdyHeaderInflater()
    {
        foreach (var b in SpdyDictionary.Bytes)
        {
            Remember(b);
        }
    }

    /// <summary>Decompresses one frame's header block.</summary>
    /// <exception cref="SpdyProtocolException">The block is not valid zlib data, or too large.</exception>
    public byte[] Inflate(ReadOnlySpan<byte> compressed)
    {
        var input = new BitInput(compressed);
        var output = new ArrayBufferWriter<byte>(256);
        if (!_headerRead)
        {
            ReadZlibHeader(ref input);
            _headerRead = true;
        }

        while (input.BytesLeft > 0)
        {
            if (_ended)
            {
                throw new SpdyProtocolException("header data after the end of the zlib stream");
            }

            var final = input.Bits(1) == 1;
            switch (input.Bits(2))
            {
                case 0:
                    Stored(ref input, output);
                    break;
                case 1:
                    Codes(ref input, output, FixedLiterals, FixedDistances);
                    break;
                case 2:
                    Dynamic(ref input, output);
                    break;
                default:
                    throw new SpdyProtocolException("invalid deflate block type 3");
            }

            _ended = final;
        }

        return output.WrittenSpan.ToArray();
    }

    private static void ReadZlibHeader(ref BitInput input)
    {
        var cmf = input.Byte();
        var flg = input.Byte();
        if ((cmf & 0x0F) != 8 || (cmf >> 4) > 7 || ((cmf << 8) | flg) % 31 != 0)
        {
            throw new SpdyProtocolException("invalid zlib header in a SPDY header block");
        }

        if ((flg & 0x20) != 0)
        {
            var id = (uint)((input.Byte() << 24) | (input.Byte() << 16) | (input.Byte() << 8) | input.Byte());
            if (id != SpdyDictionary.Adler32)
            {
                throw new SpdyProtocolException("SPDY header block compressed with another dictionary");
            }
        }
    }

    private void Stored(ref BitInput input, ArrayBufferWriter<byte> output)
    {
        input.Align();
        var length = input.Byte() | (input.Byte() << 8);
        var complement = input.Byte() | (input.Byte() << 8);
        if ((length ^ 0xFFFF) != complement)
        {
            throw new SpdyProtocolException("stored deflate block with a bad length");
        }

        for (var i = 0; i < length; i++)
        {
            Emit(output, (byte)input.Byte());
        }
    }

    private void Dynamic(ref BitInput input, ArrayBufferWriter<byte> output)
    {
        var literalCount = input.Bits(5) + 257;
        var distanceCount = input.Bits(5) + 1;
        var codeLengthCount = input.Bits(4) + 4;
        if (literalCount > 286 || distanceCount > 30)
        {
            throw new SpdyProtocolException("dynamic deflate block with too many codes");
        }

        var codeLengths = new byte[19];
        for (var i = 0; i < codeLengthCount; i++)
        {
            codeLengths[CodeLengthOrder[i]] = (byte)input.Bits(3);
        }

        var codeLengthCode = Huffman.Build(codeLengths, "code length");
        var lengths = new byte[literalCount + distanceCount];
        var index = 0;
        while (index < lengths.Length)
        {
            var symbol = codeLengthCode.Decode(ref input);
            if (symbol < 16)
            {
                lengths[index++] = (byte)symbol;
                continue;
            }

            byte value = 0;
            int repeat;
            if (symbol == 16)
            {
                if (index == 0)
                {
                    throw new SpdyProtocolException("deflate length repeat with no previous length");
                }

                value = lengths[index - 1];
                repeat = 3 + input.Bits(2);
            }
            else
            {
                repeat = symbol == 17 ? 3 + input.Bits(3) : 11 + input.Bits(7);
            }

            if (index + repeat > lengths.Length)
            {
                throw new SpdyProtocolException("deflate code lengths overrun");
            }

            lengths.AsSpan(index, repeat).Fill(value);
            index += repeat;
        }

        if (lengths[256] == 0)
        {
            throw new SpdyProtocolException("dynamic deflate block without an end-of-block code");
        }

        var literals = Huffman.Build(lengths[..literalCount], "literal");
        var distances = Huffman.Build(lengths[literalCount..], "distance");
        Codes(ref input, output, literals, distances);
    }

    private void Codes(ref BitInput input, ArrayBufferWriter<byte> output, Huffman literals, Huffman distances)
    {
        while (true)
        {
            var symbol = literals.Decode(ref input);
            if (symbol < 256)
            {
                Emit(output, (byte)symbol);
                continue;
            }

            if (symbol == 256)
            {
                return;
            }

            symbol -= 257;
            if (symbol >= LengthBase.Length)
            {
                throw new SpdyProtocolException("invalid deflate length code");
            }

            var length = LengthBase[symbol] + input.Bits(LengthExtra[symbol]);
            var distanceSymbol = distances.Decode(ref input);
            if (distanceSymbol >= DistanceBase.Length)
            {
                throw new SpdyProtocolException("invalid deflate distance code");
            }

            var distance = DistanceBase[distanceSymbol] + input.Bits(DistanceExtra[distanceSymbol]);
            if (distance > Math.Min(_history, WindowSize))
            {
                throw new SpdyProtocolException("deflate distance reaches before the start of the data");
            }

            for (var i = 0; i < length; i++)
            {
                Emit(output, _window[(_windowEnd - distance) & (WindowSize - 1)]);
            }
        }
    }

    private void Emit(ArrayBufferWriter<byte> output, byte value)
    {
        if (output.WrittenCount >= MaxOutputLength)
        {
            throw new SpdyProtocolException($"SPDY header block decompresses to more than {MaxOutputLength} bytes");
        }

        output.GetSpan(1)[0] = value;
        output.Advance(1);
        Remember(value);
    }

    private void Remember(byte value)
    {
        _window[_windowEnd] = value;
        _windowEnd = (_windowEnd + 1) & (WindowSize - 1);
        _history++;
    }

    private static byte[] FixedLiteralLengths()
    {
        var lengths = new byte[288];
        lengths.AsSpan(0, 144).Fill(8);
        lengths.AsSpan(144, 112).Fill(9);
        lengths.AsSpan(256, 24).Fill(7);
        lengths.AsSpan(280, 8).Fill(8);
        return lengths;
    }

    /// <summary>Deflate's bit order: least significant bit of each byte first; bytes are loaded only when needed.</summary>
    private ref struct BitInput(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;
        private uint _bits;
        private int _count;

        public readonly int BytesLeft => _data.Length - _position;

        public int Bits(int need)
        {
            while (_count < need)
            {
                if (_position >= _data.Length)
                {
                    throw new SpdyProtocolException("SPDY header block ends inside compressed data");
                }

                _bits |= (uint)_data[_position++] << _count;
                _count += 8;
            }

            var value = (int)(_bits & ((1u << need) - 1));
            _bits >>= need;
            _count -= need;
            return value;
        }

        public void Align()
        {
            _bits = 0;
            _count = 0;
        }

        public int Byte() => Bits(8);
    }

    /// <summary>A canonical Huffman code decoded bit by bit (header blocks are small; simplicity wins).</summary>
    private sealed class Huffman
    {
        private readonly short[] _counts = new short[MaxBits + 1];
        private readonly short[] _symbols;

        private Huffman(int symbols) => _symbols = new short[symbols];

        public static Huffman Build(ReadOnlySpan<byte> lengths, string what)
        {
            var code = new Huffman(lengths.Length);
            foreach (var length in lengths)
            {
                code._counts[length]++;
            }

            var left = 1;
            for (var length = 1; length <= MaxBits; length++)
            {
                left = (left << 1) - code._counts[length];
                if (left < 0)
                {
                    throw new SpdyProtocolException($"over-subscribed deflate {what} code");
                }
            }

            Span<short> offsets = stackalloc short[MaxBits + 2];
            for (var length = 1; length <= MaxBits; length++)
            {
                offsets[length + 1] = (short)(offsets[length] + code._counts[length]);
            }

            for (var symbol = 0; symbol < lengths.Length; symbol++)
            {
                if (lengths[symbol] != 0)
                {
                    code._symbols[offsets[lengths[symbol]]++] = (short)symbol;
                }
            }

            return code;
        }

        public int Decode(ref BitInput input)
        {
            int code = 0, first = 0, index = 0;
            for (var length = 1; length <= MaxBits; length++)
            {
                code |= input.Bits(1);
                var count = _counts[length];
                if (code - count < first)
                {
                    return _symbols[index + (code - first)];
                }

                index += count;
                first = (first + count) << 1;
                code <<= 1;
            }

            throw new SpdyProtocolException("invalid deflate Huffman code");
        }
    }
}
