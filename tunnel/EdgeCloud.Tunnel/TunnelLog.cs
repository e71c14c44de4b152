using Microsoft.Extensions.Logging;

namespace EdgeCloud.Tunnel;

/// <summary>The tunnel's log messages.</summary>
internal static partial class TunnelLog
{
    [LoggerMessage(1, LogLevel.Debug, "Tunnel session ({Role}, {Identity}) started")]
    public static partial void SessionStarted(ILogger logger, TunnelRole role, string? identity);

    [LoggerMessage(2, LogLevel.Debug, "Tunnel session ({Role}, {Identity}) closed")]
    public static partial void SessionClosed(ILogger logger, TunnelRole role, string? identity);

    [LoggerMessage(3, LogLevel.Warning, "Tunnel session ({Role}, {Identity}) failed")]
    public static partial void SessionFailed(ILogger logger, TunnelRole role, string? identity, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "Tunnel stream {StreamId} handler failed; the stream is reset")]
    public static partial void StreamHandlerFailed(ILogger logger, int streamId, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "Tunnel connected to {Endpoint}")]
    public static partial void Connected(ILogger logger, Uri endpoint);

    [LoggerMessage(6, LogLevel.Warning, "Tunnel to {Endpoint} failed; retrying in {DelayMs} ms")]
    public static partial void ConnectionFailed(ILogger logger, Uri endpoint, long delayMs, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "Tunnel to {Endpoint} closed; reconnecting in {DelayMs} ms")]
    public static partial void ConnectionClosed(ILogger logger, Uri endpoint, long delayMs);

    [LoggerMessage(8, LogLevel.Warning, "The tunnel's session-established callback failed; the session stays up")]
    public static partial void SessionCallbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(9, LogLevel.Information, "Tunnel handshake from {RemoteAddress} rejected with {StatusCode}: {Reason}")]
    public static partial void HandshakeRejected(ILogger logger, string? remoteAddress, int statusCode, string reason);

    [LoggerMessage(10, LogLevel.Information, "A new tunnel session for {Identity} replaces the previous one")]
    public static partial void SessionReplaced(ILogger logger, string identity);
}
