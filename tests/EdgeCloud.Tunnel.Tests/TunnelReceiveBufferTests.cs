namespace EdgeCloud.Tunnel.Tests;

public sealed class TunnelReceiveBufferTests
{
    private static byte[] Bytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task A_waiting_reader_gets_the_data_in_its_own_buffer_and_nothing_is_kept()
    {
        var incoming = new TunnelReceiveBuffer();
        var target = new byte[100];
        Assert.False(incoming.TryRead(target, out _, out var wait, out _));
        var data = Bytes(60, 1);

        incoming.Write(data.AsSpan(0, 25));
        incoming.Write(data.AsSpan(25));
        Assert.False(wait.IsCompleted);
        Assert.Equal(0, incoming.Length);
        Assert.Equal(0, incoming.BlockCount);

        incoming.Flush();
        Assert.Equal(60, await wait);
        Assert.Equal(data, target[..60]);
    }

    [Fact]
    public async Task Bytes_beyond_the_waiting_buffer_are_kept_in_order_for_the_next_reads()
    {
        var incoming = new TunnelReceiveBuffer();
        var data = Bytes((TunnelBlockPool.BlockLength * 2) + 500, 2);
        var first = new byte[1000];
        Assert.False(incoming.TryRead(first, out _, out var wait, out _));
        incoming.Write(data);
        incoming.Flush();
        Assert.Equal(1000, await wait);
        Assert.Equal(data.Length - 1000, incoming.Length);
        Assert.Equal(2, incoming.BlockCount);

        var rest = new List<byte>(first);
        var chunk = new byte[7000];
        while (incoming.Length > 0)
        {
            Assert.True(incoming.TryRead(chunk, out var n, out _, out _));
            rest.AddRange(chunk.AsSpan(0, n).ToArray());
        }

        Assert.Equal(data, rest.ToArray());
        Assert.Equal(0, incoming.BlockCount);
    }

    [Fact]
    public void Kept_bytes_are_read_without_waiting_and_then_end_of_stream_after_complete()
    {
        var incoming = new TunnelReceiveBuffer();
        var data = Bytes(300, 3);
        incoming.Write(data);
        incoming.Complete();

        var buffer = new byte[200];
        Assert.True(incoming.TryRead(buffer, out var n, out _, out _));
        Assert.Equal(200, n);
        Assert.Equal(data[..200], buffer);
        Assert.True(incoming.TryRead(buffer, out n, out _, out _));
        Assert.Equal(100, n);
        Assert.Equal(data[200..], buffer[..100]);
        Assert.True(incoming.TryRead(buffer, out n, out _, out _));
        Assert.Equal(0, n);
    }

    [Fact]
    public async Task Complete_wakes_a_waiting_reader_with_what_it_has_or_end_of_stream()
    {
        var incoming = new TunnelReceiveBuffer();
        Assert.False(incoming.TryRead(new byte[10], out _, out var wait, out _));
        incoming.Write([1, 2, 3]);
        incoming.Complete();
        Assert.Equal(3, await wait);

        var other = new TunnelReceiveBuffer();
        Assert.False(other.TryRead(new byte[10], out _, out var empty, out _));
        other.Complete();
        Assert.Equal(0, await empty);
    }

    [Fact]
    public async Task An_error_fails_the_waiting_reader_and_every_later_read_and_lets_the_blocks_go()
    {
        var incoming = new TunnelReceiveBuffer();
        var error = new TunnelStreamResetException("gone", byPeer: true);
        Assert.False(incoming.TryRead(new byte[10], out _, out var wait, out _));
        incoming.Complete(error);
        Assert.Same(error, await Assert.ThrowsAsync<TunnelStreamResetException>(async () => await wait));

        var kept = new TunnelReceiveBuffer();
        kept.Write(Bytes(TunnelBlockPool.BlockLength + 1, 4));
        Assert.Equal(2, kept.BlockCount);
        kept.Complete(error);
        Assert.Equal(0, kept.BlockCount);
        Assert.Throws<TunnelStreamResetException>(() => kept.TryRead(new byte[10], out _, out _, out _));
    }

    [Fact]
    public void A_discarded_buffer_lets_its_blocks_go_and_ignores_later_data()
    {
        var incoming = new TunnelReceiveBuffer();
        incoming.Write(Bytes(5000, 5));
        incoming.Complete(discard: true);
        Assert.Equal(0, incoming.BlockCount);
        incoming.Write(Bytes(5000, 6));
        Assert.Equal(0, incoming.Length);
        Assert.True(incoming.TryRead(new byte[10], out var n, out _, out _));
        Assert.Equal(0, n);
    }

    [Fact]
    public async Task Cancelling_a_wait_fails_it_when_empty_and_returns_the_copied_bytes_otherwise()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var incoming = new TunnelReceiveBuffer();
        Assert.False(incoming.TryRead(new byte[10], out _, out var wait, out var version));
        incoming.CancelWait(version, cts.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await wait);

        var target = new byte[10];
        Assert.False(incoming.TryRead(target, out _, out var second, out var secondVersion));
        // A stale cancellation (of the first wait) leaves the second alone.
        incoming.CancelWait(version, cts.Token);
        incoming.Write([9, 8]);
        Assert.False(second.IsCompleted);
        incoming.CancelWait(secondVersion, cts.Token);
        Assert.Equal(2, await second);
        Assert.Equal([9, 8], target[..2]);
    }

    [Fact]
    public void A_second_read_while_one_waits_is_refused()
    {
        var incoming = new TunnelReceiveBuffer();
        Assert.False(incoming.TryRead(new byte[10], out _, out _, out _));
        Assert.Throws<InvalidOperationException>(() => incoming.TryRead(new byte[10], out _, out _, out _));
    }

    [Fact]
    public async Task Data_written_while_kept_bytes_wait_goes_behind_them_not_into_a_new_reader()
    {
        var incoming = new TunnelReceiveBuffer();
        incoming.Write([1, 2, 3]);
        var small = new byte[2];
        Assert.True(incoming.TryRead(small, out var n, out _, out _));
        Assert.Equal(2, n);
        incoming.Write([4, 5]);
        var rest = new byte[10];
        Assert.True(incoming.TryRead(rest, out n, out _, out _));
        Assert.Equal([3, 4, 5], rest[..n]);

        Assert.False(incoming.TryRead(rest, out _, out var wait, out _));
        incoming.Write([6]);
        incoming.Flush();
        Assert.Equal(1, await wait);
        Assert.Equal(6, rest[0]);
    }
}
