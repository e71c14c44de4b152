using System.Diagnostics.Metrics;

namespace EdgeCloud.Tunnel;

/// <summary>
/// The tunnel's instruments, on the meter <see cref="MeterName"/>. Every measurement carries the tag
/// <c>edgecloud.tunnel.role</c> (<c>client</c> or <c>server</c>).
/// </summary>
public static class TunnelMetrics
{
    /// <summary>Name of the <see cref="Meter"/>: "EdgeCloud.Tunnel".</summary>
    public const string MeterName = "EdgeCloud.Tunnel";

    /// <summary>Up-down counter: open sessions.</summary>
    public const string SessionsName = "edgecloud.tunnel.sessions";

    /// <summary>Up-down counter: open streams.</summary>
    public const string StreamsName = "edgecloud.tunnel.streams";

    /// <summary>Counter, bytes: WebSocket payload sent (frames, including headers and keepalive).</summary>
    public const string BytesSentName = "edgecloud.tunnel.bytes_sent";

    /// <summary>Counter, bytes: WebSocket payload received.</summary>
    public const string BytesReceivedName = "edgecloud.tunnel.bytes_received";

    /// <summary>Counter: times a stream had data to send but no credit left (its reader was behind).</summary>
    public const string CreditStallsName = "edgecloud.tunnel.credit_stalls";

    /// <summary>Counter: reconnection attempts of clients after their first connection attempt.</summary>
    public const string ReconnectsName = "edgecloud.tunnel.reconnects";

    /// <summary>Counter: stream opens refused by this side.</summary>
    public const string StreamsRefusedName = "edgecloud.tunnel.streams_refused";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly UpDownCounter<long> Sessions = Meter.CreateUpDownCounter<long>(SessionsName, "{session}", "Open tunnel sessions.");

    internal static readonly UpDownCounter<long> Streams = Meter.CreateUpDownCounter<long>(StreamsName, "{stream}", "Open tunnel streams.");

    internal static readonly Counter<long> BytesSent = Meter.CreateCounter<long>(BytesSentName, "By", "WebSocket payload bytes sent.");

    internal static readonly Counter<long> BytesReceived = Meter.CreateCounter<long>(BytesReceivedName, "By", "WebSocket payload bytes received.");

    internal static readonly Counter<long> CreditStalls = Meter.CreateCounter<long>(CreditStallsName, "{stall}", "Writes that waited for the peer to return credit.");

    internal static readonly Counter<long> Reconnects = Meter.CreateCounter<long>(ReconnectsName, "{attempt}", "Client reconnection attempts.");

    internal static readonly Counter<long> StreamsRefused = Meter.CreateCounter<long>(StreamsRefusedName, "{stream}", "Stream opens refused.");

    internal static KeyValuePair<string, object?> Role(TunnelRole role) =>
        new("edgecloud.tunnel.role", role == TunnelRole.Client ? "client" : "server");
}
