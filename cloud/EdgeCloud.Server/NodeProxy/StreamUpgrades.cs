using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using EdgeCloud.Kube.Api;
using Microsoft.AspNetCore.Http.Features;

namespace EdgeCloud.Server.NodeProxy;

/// <summary>
/// The connection upgrades of kubectl's streaming subresources (exec, port-forward): a WebSocket with a negotiated
/// subprotocol (RFC 6455 handshake, answered here because the request never reaches a WebSocket middleware of its
/// own) or SPDY/3.1 with X-Stream-Protocol-Version. A request that cannot be upgraded is a 400 Status.
/// </summary>
internal static class StreamUpgrades
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>
    /// Checks the upgrade the request asks for against what the endpoint serves and returns the WebSocket subprotocol
    /// to answer with (the first of <paramref name="webSocketProtocols"/> the client offers), or null for SPDY/3.1
    /// with <paramref name="spdyProtocol"/>. No upgrade is 400; no common WebSocket subprotocol is 400 and no common
    /// SPDY protocol 403, with the kubelet's wording.
    /// </summary>
    public static string? Negotiate(HttpRequest request, IReadOnlyList<string> webSocketProtocols, string spdyProtocol)
    {
        var upgrade = request.Headers.Upgrade.ToString();
        if (upgrade.Equals("websocket", StringComparison.OrdinalIgnoreCase))
        {
            var offered = Offered(request, "Sec-WebSocket-Protocol");
            return webSocketProtocols.FirstOrDefault(p => offered.Contains(p, StringComparer.Ordinal))
                ?? throw KubeApiException.BadRequest(NoCommonProtocol(offered, webSocketProtocols));
        }

        if (upgrade.StartsWith("SPDY/3.1", StringComparison.OrdinalIgnoreCase))
        {
            var offered = Offered(request, "X-Stream-Protocol-Version");
            return offered.Contains(spdyProtocol, StringComparer.Ordinal)
                ? null
                : throw new KubeApiException(403, "Forbidden", NoCommonProtocol(offered, [spdyProtocol]));
        }

        throw KubeApiException.BadRequest("Upgrade request required");
    }

    /// <summary>Answers 101 with <paramref name="subProtocol"/> and returns the server end of the WebSocket.</summary>
    public static async Task<WebSocket> AcceptWebSocketAsync(HttpContext context, string subProtocol, TimeSpan keepAliveInterval)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var key = context.Request.Headers.SecWebSocketKey.ToString();
        if (upgrade is not { IsUpgradableRequest: true } || key.Length == 0)
        {
            throw KubeApiException.BadRequest("Upgrade request required");
        }

        var headers = context.Response.Headers;
        headers.Connection = "Upgrade";
        headers.Upgrade = "websocket";
        headers.SecWebSocketAccept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
        headers.SecWebSocketProtocol = subProtocol;
        var transport = await upgrade.UpgradeAsync();
        // The subprotocol is not given to the WebSocket: it is only informational there, and .NET refuses names that
        // are not RFC 7230 tokens, such as port-forward's "SPDY/3.1+portforward.k8s.io".
        return WebSocket.CreateFromStream(transport, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = keepAliveInterval });
    }

    /// <summary>The values of a comma-separated offer header (Sec-WebSocket-Protocol, X-Stream-Protocol-Version).</summary>
    private static List<string> Offered(HttpRequest request, string header) =>
        [.. request.Headers[header].SelectMany(static v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];

    private static string NoCommonProtocol(IEnumerable<string> offered, IEnumerable<string> served) =>
        $"unable to upgrade: unable to negotiate protocol: client supports [{string.Join(' ', offered)}], server supports [{string.Join(' ', served)}]";

    /// <summary>Answers 101 Switching Protocols to SPDY/3.1 with <paramref name="protocol"/> and returns the raw connection.</summary>
    public static async Task<Stream> AcceptSpdyAsync(HttpContext context, string protocol)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is not { IsUpgradableRequest: true })
        {
            throw KubeApiException.BadRequest("Upgrade request required");
        }

        var headers = context.Response.Headers;
        headers.Connection = "Upgrade";
        headers.Upgrade = "SPDY/3.1";
        headers["X-Stream-Protocol-Version"] = protocol;
        return await upgrade.UpgradeAsync();
    }
}
