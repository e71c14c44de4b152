using System.IO.Compression;
using System.Text;
using EdgeCloud.Server.NodeProxy.Spdy;

namespace EdgeCloud.Server.Tests.NodeProxy;

public sealed class SpdyHeaderInflaterTests
{
    // Three header blocks of one SPDY/3 direction, compressed as Go's spdystream does (zlib level 9, the SPDY
    // dictionary, a sync flush per block), here by CPython's zlib (compressobj(9, ..., zdict=dictionary)).
    private static readonly string[] DictionaryBlocks =
    [
        "78f9e3c6a7c202a62346703a2b294a4dcc851625aca9a08006000000ffff",
        "c22a054ccc29f9a52500000000ffff",
        "02652aac72409d58ca264984a7ac1550dc07000000ffff",
    ];

    [Fact]
    public void Inflates_blocks_that_reference_the_dictionary_and_earlier_blocks()
    {
        var inflater = new SpdyHeaderInflater();
        var first = SpdyHeaderBlock.Parse(inflater.Inflate(Convert.FromHexString(DictionaryBlocks[0])));
        var second = SpdyHeaderBlock.Parse(inflater.Inflate(Convert.FromHexString(DictionaryBlocks[1])));
        var third = SpdyHeaderBlock.Parse(inflater.Inflate(Convert.FromHexString(DictionaryBlocks[2])));
        Assert.Equal("error", first["streamtype"]);
        Assert.Equal("stdout", second["streamtype"]);
        Assert.Equal("stderr", third["streamtype"]);
        Assert.Equal("text/plain; charset=utf-8", third["content-type"]);
    }

    [Fact]
    public void Inflates_dynamic_huffman_blocks_across_sync_flushes()
    {
        // .NET's deflater (no dictionary) with a sync flush per block: long, repetitive text gets dynamic codes.
        var texts = new[] { string.Concat(Enumerable.Range(0, 300).Select(i => $"header-{i % 17}:value-{i % 5};")), "short", new string('z', 5000) };
        var compressed = new MemoryStream();
        var blocks = new List<byte[]>();
        using (var deflate = new DeflateStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            foreach (var text in texts)
            {
                var start = compressed.Length;
                deflate.Write(Encoding.ASCII.GetBytes(text));
                deflate.Flush();
                blocks.Add(compressed.ToArray()[(int)start..]);
            }
        }

        blocks[0] = [0x78, 0xDA, .. blocks[0]];
        var inflater = new SpdyHeaderInflater();
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(texts[i], Encoding.ASCII.GetString(inflater.Inflate(blocks[i])));
        }
    }

    [Fact]
    public void The_server_header_block_is_zlib_a_standard_inflater_reads()
    {
        var first = SpdyHeaderBlock.Compress([new("a", "1")], first: true);
        var second = SpdyHeaderBlock.Compress([new("bb", "22")], first: false);
        var inflater = new SpdyHeaderInflater();
        Assert.Equal("1", SpdyHeaderBlock.Parse(inflater.Inflate(first))["a"]);
        Assert.Equal("22", SpdyHeaderBlock.Parse(inflater.Inflate(second))["bb"]);

        // Independently: .NET's inflater decodes the deflate part (after the zlib header and DICTID).
        using var raw = new DeflateStream(new MemoryStream([.. first[6..], .. second]), CompressionMode.Decompress);
        var output = new MemoryStream();
        raw.CopyTo(output);
        Assert.Equal(SpdyBlockBytes(("a", "1")).Concat(SpdyBlockBytes(("bb", "22"))), output.ToArray());
    }

    [Fact]
    public void Random_and_truncated_input_is_a_protocol_error_and_nothing_else()
    {
        var random = new Random(1234);
        var valid = Convert.FromHexString(DictionaryBlocks[0]);
        for (var round = 0; round < 3000; round++)
        {
            byte[] input;
            switch (round % 3)
            {
                case 0:
                    input = new byte[random.Next(0, 200)];
                    random.NextBytes(input);
                    break;
                case 1:
                    input = valid[..random.Next(0, valid.Length)];
                    break;
                default:
                    input = (byte[])valid.Clone();
                    input[random.Next(input.Length)] ^= (byte)(1 << random.Next(8));
                    break;
            }

            try
            {
                SpdyHeaderBlock.Parse(new SpdyHeaderInflater().Inflate(input));
            }
            catch (SpdyProtocolException)
            {
                // The clean error.
            }
        }
    }

    [Fact]
    public void A_decompression_bomb_is_refused()
    {
        var compressed = new MemoryStream();
        using (var deflate = new DeflateStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(new byte[SpdyHeaderInflater.MaxOutputLength * 4]);
            deflate.Flush();
        }

        var error = Assert.Throws<SpdyProtocolException>(() => new SpdyHeaderInflater().Inflate([0x78, 0xDA, .. compressed.ToArray()]));
        Assert.Contains("more than", error.Message);
    }

    private static byte[] SpdyBlockBytes(params (string Name, string Value)[] pairs)
    {
        var bytes = new List<byte>();
        void Add(int n) => bytes.AddRange([(byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n]);
        Add(pairs.Length);
        foreach (var (name, value) in pairs)
        {
            Add(name.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(name));
            Add(value.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(value));
        }

        return [.. bytes];
    }
}
