using System.Net;

namespace EdgeCloud.Server.Nodes;

/// <summary>
/// The Kestrel endpoint of API connections that arrive as tunnel streams instead of TCP connections: binding it
/// makes Kestrel serve HTTP/1.1 on the streams agents open with target "api".
/// </summary>
internal sealed class TunnelApiEndPoint : EndPoint
{
    /// <summary>The one such endpoint of a server.</summary>
    public static readonly TunnelApiEndPoint Instance = new();

    private TunnelApiEndPoint()
    {
    }

    public override string ToString() => "edgecloud-tunnel:api";
}
