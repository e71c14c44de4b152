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

    /// <summary>A failed dial or session, logged by its reason (the messages of the exception and its causes) and not its stack: a device that is offline for hours logs one line per attempt.</summary>
    [LoggerMessage(6, LogLevel.Warning, "Tunnel to {Endpoint} failed ({Reason}); retrying in {DelayMs} ms")]
    public static partial void ConnectionFailed(ILogger logger, Uri endpoint, long delayMs, string reason);

    /// <summary>The messages of <paramref name="error"/> and its inner exceptions, joined.</summary>
    public static string Reason(Exception error)
    {
        var parts = new List<string>();
        for (var e = error; e is not null && parts.Count < 4; e = e.InnerException)
        {
            if (parts.Count == 0 || !parts[^1].Contains(e.Message, StringComparison.Ordinal))
            {
                parts.Add(e.Message);
            }
        }

        return string.Join(": ", parts);
    }

    [LoggerMessage(7, LogLevel.Warning, "Tunnel to {Endpoint} closed; reconnecting in {DelayMs} ms")]
    public static partial void ConnectionClosed(ILogger logger, Uri endpoint, long delayMs);

    [LoggerMessage(8, LogLevel.Warning, "The tunnel's session-established callback failed; the session stays up")]
    public static partial void SessionCallbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(9, LogLevel.Information, "Tunnel handshake from {RemoteAddress} rejected with {StatusCode}: {Reason}")]
    public static partial void HandshakeRejected(ILogger logger, string? remoteAddress, int statusCode, string reason);

    [LoggerMessage(10, LogLevel.Information, "A new tunnel session for {Identity} replaces the previous one")]
    public static partial void SessionReplaced(ILogger logger, string identity);
}
