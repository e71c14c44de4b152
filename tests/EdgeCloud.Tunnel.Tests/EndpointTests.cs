using System.Net;
using System.Net.WebSockets;
using EdgeCloud.Tunnel.Framing;

namespace EdgeCloud.Tunnel.Tests;

/// <summary>The server endpoint: authentication before the upgrade, the registry, and hostile bytes.</summary>
public sealed class EndpointTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("forbidden", HttpStatusCode.Forbidden)]
    public async Task A_rejected_handshake_gets_its_status_and_no_upgrade(string? node, HttpStatusCode expected)
    {
        await using var server = await TunnelTestServer.StartAsync();
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (node is not null)
        {
            socket.Options.SetRequestHeader(TunnelTestServer.NodeHeader, node);
        }

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(server.Uri, Token));
        Assert.Equal(expected, socket.HttpStatusCode);
        Assert.Equal(0, server.Registry.Count);
    }

    [Fact]
    public async Task A_plain_http_request_gets_400()
    {
        await using var server = await TunnelTestServer.StartAsync();
        using var http = new HttpClient();
        var response = await http.GetAsync(new UriBuilder(server.Uri) { Scheme = "http" }.Uri, Token);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_new_session_for_the_same_identity_replaces_the_old_one()
    {
        await using var server = await TunnelTestServer.StartAsync();
        using var first = await TestHandlers.RawAsync(server.Uri, "node-dup", Token);
        var old = await server.Registry.WaitForSessionAsync("node-dup", Token).WaitAsync(TestHandlers.Timeout, Token);
        await using var secondClient = TestHandlers.Client(server.Uri, "node-dup");
        await secondClient.WaitForSessionAsync(Token).WaitAsync(TestHandlers.Timeout, Token);

        // The old session is closed (GoAway, then the close handshake), and the registry holds the new one.
        await old.Completion.WaitAsync(TestHandlers.Timeout, Token).ContinueWith(_ => { }, TaskScheduler.Default);
        Assert.True(server.Registry.TryGetSession("node-dup", out var current));
        Assert.NotSame(old, current);
        Assert.Equal(1, server.Registry.Count);
    }

    public static TheoryData<string, byte[]> Hostile() => new()
    {
        { "random garbage", [0xDE, 0xAD, 0xBE, 0xEF, 0, 1, 2, 3] },
        { "oversized length without payload", [1, 4, 1, 0x80, 0x80, 0x05] },
        { "Data for a stream never opened", FrameParserTests.Encode(FrameType.Data, 1, [1]) },
        { "Open with the server's parity", FrameParserTests.Encode(new ControlFrame(FrameType.Open, 2, 1024, null)) },
        // 40 frames of 16 KiB: past the default window of 512 KiB.
        { "Data beyond the window", [.. FrameParserTests.Encode(new ControlFrame(FrameType.Open, 1, 1024, "echo"u8.ToArray())), .. Enumerable.Range(0, 40).SelectMany(_ => FrameParserTests.Encode(FrameType.Data, 1, new byte[16 * 1024]))] },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Hostile_bytes_end_that_session_with_a_protocol_error_and_the_server_goes_on(string why, byte[] bytes)
    {
        await using var server = await TunnelTestServer.StartAsync();
        using var raw = await TestHandlers.RawAsync(server.Uri, "node-evil", Token);
        var session = await server.Registry.WaitForSessionAsync("node-evil", Token).WaitAsync(TestHandlers.Timeout, Token);
        await raw.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, Token);

        var error = await Assert.ThrowsAsync<TunnelProtocolException>(() => session.Completion.WaitAsync(TestHandlers.Timeout, Token));
        Assert.False(string.IsNullOrEmpty(error.Message), why);

        // Another peer is served as usual.
        await using var client = TestHandlers.Client(server.Uri, "node-good");
        var good = await client.WaitForSessionAsync(Token).WaitAsync(TestHandlers.Timeout, Token);
        await using var stream = await good.OpenStreamAsync("echo", Token);
        await stream.WriteAsync(new byte[] { 7 }, Token);
        var one = new byte[1];
        await stream.ReadExactlyAsync(one, Token);
        Assert.Equal(7, one[0]);
    }

    [Fact]
    public async Task A_frame_cut_off_by_the_close_is_an_error_not_a_hang()
    {
        await using var server = await TunnelTestServer.StartAsync();
        using var raw = await TestHandlers.RawAsync(server.Uri, "node-cut", Token);
        var session = await server.Registry.WaitForSessionAsync("node-cut", Token).WaitAsync(TestHandlers.Timeout, Token);
        var open = FrameParserTests.Encode(new ControlFrame(FrameType.Open, 1, 1024, "echo"u8.ToArray()));
        await raw.SendAsync(open[..^2], WebSocketMessageType.Binary, endOfMessage: true, Token);
        await raw.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, Token);
        var error = await Assert.ThrowsAsync<TunnelProtocolException>(() => session.Completion.WaitAsync(TestHandlers.Timeout, Token));
        Assert.Contains("middle of a frame", error.Message, StringComparison.Ordinal);
    }
}
