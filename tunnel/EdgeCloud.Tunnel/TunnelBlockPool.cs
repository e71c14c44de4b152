using System.Buffers;
using System.Collections.Concurrent;

namespace EdgeCloud.Tunnel;

/// <summary>
/// The blocks the streams' receive pipes are made of: 16 KiB each, shared by all sessions of the process, at most 512
/// kept for reuse (8 MiB). The default pool of a <see cref="System.IO.Pipelines.Pipe"/>
/// allocates a wrapper per block and, with many streams buffering at once, misses <see cref="ArrayPool{T}.Shared"/>'s
/// per-core caches, so that 64 busy streams allocated about 0.6 MB per MiB received; reused blocks allocate nothing.
/// </summary>
internal sealed class TunnelBlockPool : MemoryPool<byte>
{
    /// <summary>Bytes per block: the default <see cref="TunnelOptions.DataFrameSize"/>, so a frame fills at most two blocks.</summary>
    public const int BlockLength = 16 * 1024;

    private readonly ConcurrentQueue<Block> _free = new();
    private readonly int _maxRetained;
    private int _freeCount;

    /// <param name="maxRetained">Blocks kept when returned; beyond that they are left to the GC, so a burst does not hold memory for ever.</param>
    public TunnelBlockPool(int maxRetained = 512)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetained);
        _maxRetained = maxRetained;
    }

    /// <summary>The pool of every stream of the process.</summary>
    public static new TunnelBlockPool Shared { get; } = new();

    /// <summary>Blocks waiting for reuse.</summary>
    public int FreeCount => Volatile.Read(ref _freeCount);

    public override int MaxBufferSize => BlockLength;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockLength);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _freeCount);
            block.Rented = true;
            return block;
        }

        return new Block(this);
    }

    protected override void Dispose(bool disposing)
    {
        // Shared for the life of the process.
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _freeCount) <= _maxRetained)
        {
            _free.Enqueue(block);
        }
        else
        {
            Interlocked.Decrement(ref _freeCount);
        }
    }

    private sealed class Block(TunnelBlockPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockLength);

        public bool Rented { get; set; } = true;

        public Memory<byte> Memory => _array;

        public void Dispose()
        {
            // A second Dispose must not put the block in the pool twice.
            if (Rented)
            {
                Rented = false;
                pool.Return(this);
            }
        }
    }
}
