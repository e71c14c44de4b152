using System.Net;
using System.Net.Sockets;

namespace EdgeCloud.LoadTests.Tunnel;

/// <summary>ssh -R: connections to sshd's forwarded port travel over the agent's one ssh connection to its local targets.</summary>
internal sealed class SshPath(SshForward forward) : IBenchPath
{
    private static readonly byte[] Block = new byte[TunnelBenchServer.BlockSize];

    public string Name => "ssh -R";

    public async Task TransferAsync(long bytes, CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(forward.RemoteSinkPort, cancellationToken);
        for (var left = bytes; left > 0; left -= Block.Length)
        {
            await socket.SendAsync(Block.AsMemory(0, (int)Math.Min(Block.Length, left)), cancellationToken);
        }

        socket.Shutdown(SocketShutdown.Send);
        var answer = new byte[8];
        var read = 0;
        while (read < 8)
        {
            var n = await socket.ReceiveAsync(answer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                throw new IOException("the ssh-forwarded sink closed without its count");
            }

            read += n;
        }

        if (BitConverter.ToInt64(answer) != bytes)
        {
            throw new InvalidOperationException($"the sink counted {BitConverter.ToInt64(answer)} bytes, {bytes} were sent");
        }
    }

    public async Task OpenToFirstByteAsync(CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(forward.RemoteHelloPort, cancellationToken);
        var one = new byte[1];
        if (await socket.ReceiveAsync(one, cancellationToken) != 1)
        {
            throw new IOException("the ssh-forwarded hello target closed without its byte");
        }
    }

    private static async Task<Socket> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
        return socket;
    }
}
