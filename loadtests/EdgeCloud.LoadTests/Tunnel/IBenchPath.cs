namespace EdgeCloud.LoadTests.Tunnel;

/// <summary>One way of carrying bytes from the cloud side to the agent side: raw WebSocket, the tunnel, ssh -R.</summary>
internal interface IBenchPath
{
    string Name { get; }

    /// <summary>Sends <paramref name="bytes"/> to a sink behind the path and waits for its acknowledgement.</summary>
    Task TransferAsync(long bytes, CancellationToken cancellationToken);

    /// <summary>Opens a new connection or stream to a target that writes one byte at once; returns when that byte arrived.</summary>
    Task OpenToFirstByteAsync(CancellationToken cancellationToken);
}
