using EdgeCloud.Tunnel;

namespace EdgeCloud.LoadTests.Tunnel;

/// <summary>Streams the cloud side opens into the agent over one tunnel session (as kubectl logs/exec/port-forward do).</summary>
internal sealed class TunnelPath(TunnelSession session) : IBenchPath
{
    private static readonly byte[] Block = new byte[TunnelBenchServer.BlockSize];

    public string Name => "tunnel";

    public async Task TransferAsync(long bytes, CancellationToken cancellationToken)
    {
        await using var stream = await session.OpenStreamAsync("sink", cancellationToken);
        for (var left = bytes; left > 0; left -= Block.Length)
        {
            await stream.WriteAsync(Block.AsMemory(0, (int)Math.Min(Block.Length, left)), cancellationToken);
        }

        await stream.CompleteWritesAsync(cancellationToken);
        var answer = new byte[8];
        await stream.ReadExactlyAsync(answer, cancellationToken);
        if (BitConverter.ToInt64(answer) != bytes)
        {
            throw new InvalidOperationException($"the sink counted {BitConverter.ToInt64(answer)} bytes, {bytes} were sent");
        }
    }

    public async Task OpenToFirstByteAsync(CancellationToken cancellationToken)
    {
        await using var stream = await session.OpenStreamAsync("hello", cancellationToken);
        var one = new byte[1];
        await stream.ReadExactlyAsync(one, cancellationToken);
    }
}
