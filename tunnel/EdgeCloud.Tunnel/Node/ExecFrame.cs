using System.Buffers.Binary;
using System.Text;

namespace EdgeCloud.Tunnel.Node;

/// <summary>
/// One frame of an exec stream. The payload is owned by the <see cref="ExecFrameReader"/> that returned it and
/// valid until its next read.
/// </summary>
/// <param name="Channel">Which stream the payload belongs to.</param>
/// <param name="Payload">The bytes; already checked against the channel's rules.</param>
public readonly record struct ExecFrame(ExecChannel Channel, ReadOnlyMemory<byte> Payload)
{
    /// <summary>The exit code of an <see cref="ExecChannel.Exit"/> frame.</summary>
    public int ExitCode => BinaryPrimitives.ReadInt32BigEndian(Payload.Span);

    /// <summary>The size of a <see cref="ExecChannel.Resize"/> frame.</summary>
    public (int Columns, int Rows) Size => (BinaryPrimitives.ReadUInt16BigEndian(Payload.Span), BinaryPrimitives.ReadUInt16BigEndian(Payload.Span[2..]));

    /// <summary>The message of an <see cref="ExecChannel.Error"/> frame.</summary>
    public string Message => Encoding.UTF8.GetString(Payload.Span);
}
