namespace EdgeCloud.Server.NodeProxy.Spdy;

/// <summary>What <see cref="SpdyFrameParser.TryParse"/> found.</summary>
internal enum SpdyFrameParseStatus
{
    Incomplete,
    Complete,
    Invalid,
}
