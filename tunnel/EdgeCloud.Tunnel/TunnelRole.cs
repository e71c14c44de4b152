namespace EdgeCloud.Tunnel;

/// <summary>Which end of the WebSocket a session is. It decides only the stream ids a side allocates (as in HTTP/2).</summary>
public enum TunnelRole
{
    /// <summary>The side that dialed the WebSocket (the edge agent); opens odd stream ids.</summary>
    Client,

    /// <summary>The side that accepted the WebSocket (the cloud); opens even stream ids.</summary>
    Server,
}
