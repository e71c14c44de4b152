namespace EdgeCloud.Tunnel;

/// <summary>
/// Decides on a stream the peer opens: call <see cref="TunnelIncomingStream.Accept"/> or
/// <see cref="TunnelIncomingStream.Refuse"/>. The returned task is the accepted stream's lifetime: when it
/// completes the stream is disposed (closed gracefully), when it fails the stream is reset. A handler that returns
/// without deciding refuses the stream. Handlers run concurrently, one per stream, off the session's read loop.
/// </summary>
/// <param name="incoming">The stream being opened and its header.</param>
/// <param name="cancellationToken">Cancelled when the session ends.</param>
public delegate Task TunnelStreamHandler(TunnelIncomingStream incoming, CancellationToken cancellationToken);
