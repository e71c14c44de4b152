namespace EdgeCloud.Tunnel.Node;

/// <summary>What <see cref="ExecFrameParser.TryParse"/> found.</summary>
public enum ExecFrameParseStatus
{
    /// <summary>Not enough bytes yet for a frame; nothing was consumed.</summary>
    Incomplete,

    /// <summary>A whole, valid frame.</summary>
    Complete,

    /// <summary>The bytes break the format; the stream must end.</summary>
    Invalid,
}
