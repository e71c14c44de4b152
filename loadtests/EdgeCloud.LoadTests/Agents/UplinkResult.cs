using System.Text.Json.Nodes;

namespace EdgeCloud.LoadTests.Agents;

/// <summary>The agent's TCP traffic to the cloud over the idle window, and how it came: per-second bursts of bytes sent.</summary>
internal sealed record UplinkResult
{
    public required double WindowSeconds { get; init; }

    /// <summary>Counters over the window (after minus before); Connections is the count at the end.</summary>
    public required TcpCounters Delta { get; init; }

    /// <summary>Bytes sent in each burst: runs of consecutive 1-second samples in which the agent sent something.</summary>
    public required IReadOnlyList<long> Bursts { get; init; }

    public double PayloadBytesPerMinute => Delta.BytesAcked * 60 / WindowSeconds;

    public double WireBytesPerMinute => (Delta.BytesAcked + (Delta.SegmentsOut * TcpCounters.HeaderBytesPerSegment)) * 60 / WindowSeconds;

    public double PayloadKbitPerSecond => Delta.BytesAcked * 8 / WindowSeconds / 1000;

    public double WireKbitPerSecond => WireBytesPerMinute / 60 * 8 / 1000;

    public double DownlinkBytesPerMinute => Delta.BytesReceived * 60 / WindowSeconds;

    public JsonObject ToJson() => new()
    {
        ["windowSeconds"] = WindowSeconds,
        ["connections"] = Delta.Connections,
        ["bytesSent"] = Delta.BytesAcked,
        ["segmentsOut"] = Delta.SegmentsOut,
        ["bytesReceived"] = Delta.BytesReceived,
        ["payloadBytesPerMinute"] = PayloadBytesPerMinute,
        ["wireBytesPerMinuteEstimated"] = WireBytesPerMinute,
        ["payloadKbitPerSecond"] = PayloadKbitPerSecond,
        ["wireKbitPerSecondEstimated"] = WireKbitPerSecond,
        ["downlinkBytesPerMinute"] = DownlinkBytesPerMinute,
        ["headerBytesPerSegment"] = TcpCounters.HeaderBytesPerSegment,
        ["bursts"] = new JsonArray([.. Bursts.Select(static b => (JsonNode)b)]),
    };
}
