namespace EdgeCloud.Tunnel.Tests;

public sealed class TunnelBlockPoolTests
{
    [Fact]
    public void A_returned_block_is_reused_instead_of_allocating_a_new_one()
    {
        var pool = new TunnelBlockPool();
        var first = pool.Rent(100);
        Assert.Equal(TunnelBlockPool.BlockLength, first.Memory.Length);
        first.Memory.Span[0] = 42;
        first.Dispose();
        Assert.Equal(1, pool.FreeCount);

        var second = pool.Rent(TunnelBlockPool.BlockLength);
        Assert.Same(first, second);
        Assert.Equal(0, pool.FreeCount);
        Assert.Equal(42, second.Memory.Span[0]);
    }

    [Fact]
    public void Disposing_a_block_twice_puts_it_in_the_pool_once()
    {
        var pool = new TunnelBlockPool();
        var block = pool.Rent();
        block.Dispose();
        block.Dispose();
        Assert.Equal(1, pool.FreeCount);
        Assert.NotSame(pool.Rent(), pool.Rent());
    }

    [Fact]
    public void At_most_maxRetained_blocks_are_kept_after_a_burst()
    {
        var pool = new TunnelBlockPool(maxRetained: 3);
        var burst = Enumerable.Range(0, 10).Select(_ => pool.Rent()).ToList();
        Assert.Equal(10, burst.Distinct().Count());
        foreach (var block in burst)
        {
            block.Dispose();
        }

        Assert.Equal(3, pool.FreeCount);
    }

    [Fact]
    public void A_request_larger_than_a_block_is_refused()
    {
        var pool = new TunnelBlockPool();
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(TunnelBlockPool.BlockLength + 1));
        Assert.Equal(TunnelBlockPool.BlockLength, pool.MaxBufferSize);
    }
}
