using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace EdgeCloud.Tunnel.Node;

/// <summary>
/// The header of a stream the cloud opens into an agent to reach one container of a pod: what to do
/// (<see cref="Kind"/>) and to which container. On the wire it is <see cref="Prefix"/> (a NUL byte, "ns", and the
/// format version) followed by the UTF-8 JSON of this record. The leading NUL keeps it apart from every text target
/// (such as "api" or "tcp:..."), which never starts with a control character.
/// </summary>
public sealed record NodeStreamHeader
{
    /// <summary>The format version this code writes and reads.</summary>
    public const byte Version = 1;

    /// <summary>The largest encoded header: the tunnel's limit on an open's header.</summary>
    public const int MaxEncodedLength = 4096;

    private static ReadOnlySpan<byte> Magic => [0x00, (byte)'n', (byte)'s'];

    /// <summary>The first bytes of every encoded header of this version.</summary>
    public static ReadOnlySpan<byte> Prefix => [0x00, (byte)'n', (byte)'s', Version];

    /// <summary><see cref="NodeStreamKind.Logs"/>, <see cref="NodeStreamKind.Exec"/> or <see cref="NodeStreamKind.PortForward"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The pod's namespace.</summary>
    public required string Namespace { get; init; }

    /// <summary>The pod's name.</summary>
    public required string Pod { get; init; }

    /// <summary>metadata.uid of the pod the cloud read, so the agent never serves a newer pod of the same name.</summary>
    public required string PodUid { get; init; }

    /// <summary>The container's name in the pod spec (already chosen by the cloud).</summary>
    public required string Container { get; init; }

    /// <summary>The log parameters; set exactly when <see cref="Kind"/> is logs.</summary>
    public NodeLogOptions? Logs { get; init; }

    /// <summary>The exec parameters; set exactly when <see cref="Kind"/> is exec.</summary>
    public NodeExecOptions? Exec { get; init; }

    /// <summary>The pod's TCP port to connect to (1–65535); set exactly when <see cref="Kind"/> is port-forward.</summary>
    public int? Port { get; init; }

    /// <summary>True when <paramref name="header"/> is a node stream header of any version (starts with NUL "ns").</summary>
    public static bool IsNodeStream(ReadOnlySpan<byte> header) => header.StartsWith(Magic);

    /// <summary>The wire form: <see cref="Prefix"/> and the JSON.</summary>
    /// <exception cref="ArgumentException">The header would be longer than <see cref="MaxEncodedLength"/> (e.g. a huge exec command).</exception>
    public byte[] Encode()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(this, NodeStreamJsonContext.Default.NodeStreamHeader);
        if (json.Length + Prefix.Length > MaxEncodedLength)
        {
            throw new ArgumentException($"the node stream header is {json.Length + Prefix.Length} bytes; at most {MaxEncodedLength} fit a tunnel open");
        }

        var encoded = new byte[Prefix.Length + json.Length];
        Prefix.CopyTo(encoded);
        json.CopyTo(encoded.AsSpan(Prefix.Length));
        return encoded;
    }

    /// <summary>Parses and checks a header; never throws. On failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out NodeStreamHeader? header, [NotNullWhen(false)] out string? error)
    {
        header = null;
        if (!IsNodeStream(encoded) || encoded.Length < Prefix.Length)
        {
            error = "not a node stream header";
            return false;
        }

        if (encoded[Magic.Length] != Version)
        {
            error = $"node stream header version {encoded[Magic.Length]} is not supported (this agent reads version {Version})";
            return false;
        }

        try
        {
            header = JsonSerializer.Deserialize(encoded[Prefix.Length..], NodeStreamJsonContext.Default.NodeStreamHeader);
        }
        catch (JsonException bad)
        {
            error = "malformed node stream header: " + bad.Message;
            return false;
        }

        var invalid = header is null ? "empty node stream header" : header.Validate();
        if (invalid is not null || header is null)
        {
            header = null;
            error = invalid ?? "empty node stream header";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>What is inconsistent in this header, or null when it is usable.</summary>
    private string? Validate()
    {
        if (string.IsNullOrEmpty(Namespace) || string.IsNullOrEmpty(Pod) || string.IsNullOrEmpty(Container))
        {
            return "a node stream header needs a namespace, pod and container";
        }

        return Kind switch
        {
            NodeStreamKind.Logs when Logs is null => "a logs stream needs log options",
            NodeStreamKind.Exec when Exec is null || Exec.Command.Count == 0 => "an exec stream needs a command",
            NodeStreamKind.PortForward when Port is not (>= 1 and <= 65535) => "a port-forward stream needs a port between 1 and 65535",
            NodeStreamKind.Logs or NodeStreamKind.Exec or NodeStreamKind.PortForward => null,
            _ => $"unknown node stream kind \"{Kind}\"",
        };
    }
}
