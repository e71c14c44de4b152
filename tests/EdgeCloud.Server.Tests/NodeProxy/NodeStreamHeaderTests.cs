using System.Text;
using EdgeCloud.Tunnel.Node;

namespace EdgeCloud.Server.Tests.NodeProxy;

public sealed class NodeStreamHeaderTests
{
    [Fact]
    public void A_header_round_trips_with_its_options()
    {
        var header = new NodeStreamHeader
        {
            Kind = NodeStreamKind.Exec,
            Namespace = "ns",
            Pod = "web",
            PodUid = "u-1",
            Container = "main",
            Exec = new NodeExecOptions { Command = ["sh", "-c", "echo \"hi\""], Stdin = true, Tty = true, Stderr = false },
        };
        var encoded = header.Encode();
        Assert.True(NodeStreamHeader.TryDecode(encoded, out var decoded, out var error), error);
        Assert.Equal(header.Exec.Command, decoded.Exec!.Command);
        Assert.Equal((true, true, true, false), (decoded.Exec.Stdin, decoded.Exec.Tty, decoded.Exec.Stdout, decoded.Exec.Stderr));
        Assert.Equal(("ns", "web", "u-1", "main", NodeStreamKind.Exec), (decoded.Namespace, decoded.Pod, decoded.PodUid, decoded.Container, decoded.Kind));

        var logs = header with { Kind = NodeStreamKind.Logs, Exec = null, Logs = new NodeLogOptions { Follow = true, TailLines = 2, SinceTime = DateTimeOffset.UnixEpoch, Previous = true } };
        Assert.True(NodeStreamHeader.TryDecode(logs.Encode(), out var decodedLogs, out _));
        Assert.Equal(logs.Logs, decodedLogs.Logs);
    }

    [Theory]
    [InlineData("api")]
    [InlineData("tcp:127.0.0.1:10250")]
    [InlineData("{\"kind\":\"logs\"}")]
    public void Text_targets_are_never_node_streams(string target)
    {
        Assert.False(NodeStreamHeader.IsNodeStream(Encoding.UTF8.GetBytes(target)));
        Assert.False(NodeStreamHeader.TryDecode(Encoding.UTF8.GetBytes(target), out _, out var error));
        Assert.Equal("not a node stream header", error);
    }

    [Fact]
    public void Another_version_bad_json_and_missing_fields_are_refused_with_a_reason()
    {
        Assert.False(NodeStreamHeader.TryDecode([0, (byte)'n', (byte)'s', 2, (byte)'{', (byte)'}'], out _, out var version));
        Assert.Contains("version 2 is not supported", version);
        Assert.False(NodeStreamHeader.TryDecode([.. NodeStreamHeader.Prefix, .. "{nope"u8], out _, out var json));
        Assert.StartsWith("malformed node stream header", json);
        Assert.False(NodeStreamHeader.TryDecode([.. NodeStreamHeader.Prefix, .. """{"kind":"exec","namespace":"n","pod":"p","podUid":"u","container":"c"}"""u8], out _, out var missing));
        Assert.Equal("an exec stream needs a command", missing);
        Assert.False(NodeStreamHeader.TryDecode([.. NodeStreamHeader.Prefix, .. """{"kind":"attach","namespace":"n","pod":"p","podUid":"u","container":"c"}"""u8], out _, out var kind));
        Assert.Equal("unknown node stream kind \"attach\"", kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(65536)]
    [InlineData(-1)]
    public void A_port_forward_header_needs_a_port_between_1_and_65535(int? port)
    {
        var header = new NodeStreamHeader { Kind = NodeStreamKind.PortForward, Namespace = "n", Pod = "p", PodUid = "u", Container = "c", Port = port };
        Assert.False(NodeStreamHeader.TryDecode(header.Encode(), out _, out var error));
        Assert.Equal("a port-forward stream needs a port between 1 and 65535", error);

        Assert.True(NodeStreamHeader.TryDecode((header with { Port = 65535 }).Encode(), out var decoded, out error), error);
        Assert.Equal(65535, decoded.Port);
    }

    [Fact]
    public void A_header_too_long_for_a_tunnel_open_is_refused()
    {
        var header = new NodeStreamHeader
        {
            Kind = NodeStreamKind.Exec, Namespace = "n", Pod = "p", PodUid = "u", Container = "c",
            Exec = new NodeExecOptions { Command = ["echo", new string('x', NodeStreamHeader.MaxEncodedLength)] },
        };
        Assert.Throws<ArgumentException>(() => header.Encode());
    }
}
