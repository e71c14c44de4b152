using System.Text;

namespace EdgeCloud.Tunnel;

/// <summary>A stream the peer asked to open, waiting for this side to accept or refuse it.</summary>
public sealed class TunnelIncomingStream
{
    private readonly TunnelStream _stream;
    private int _decided;

    internal TunnelIncomingStream(TunnelSession session, TunnelStream stream)
    {
        Session = session;
        _stream = stream;
    }

    /// <summary>The session the stream belongs to (its <see cref="TunnelSession.Identity"/> names the peer on a server).</summary>
    public TunnelSession Session { get; }

    /// <summary>The stream id the peer allocated.</summary>
    public int StreamId => _stream.Id;

    /// <summary>The header bytes the opener sent, e.g. a target such as "tcp:127.0.0.1:10250".</summary>
    public ReadOnlyMemory<byte> Header => _stream.Header;

    /// <summary>The header as UTF-8 text.</summary>
    public string Target => Encoding.UTF8.GetString(_stream.Header.Span);

    internal bool IsDecided => Volatile.Read(ref _decided) != 0;

    internal bool IsAccepted { get; private set; }

    internal TunnelStream Stream => _stream;

    /// <summary>Acknowledges the open; the peer's <see cref="TunnelSession.OpenStreamAsync(string, CancellationToken)"/> returns its end.</summary>
    /// <exception cref="InvalidOperationException">The stream was already accepted or refused.</exception>
    /// <exception cref="TunnelSessionClosedException">The session ended meanwhile.</exception>
    public TunnelStream Accept()
    {
        Decide();
        Session.AcceptIncoming(_stream);
        IsAccepted = true;
        return _stream;
    }

    /// <summary>Refuses the open; the peer gets a <see cref="TunnelStreamRefusedException"/> with <paramref name="reason"/>. The session goes on.</summary>
    /// <exception cref="InvalidOperationException">The stream was already accepted or refused.</exception>
    public void Refuse(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        Decide();
        Session.RefuseIncoming(_stream, reason);
    }

    private void Decide()
    {
        if (Interlocked.Exchange(ref _decided, 1) != 0)
        {
            throw new InvalidOperationException("the stream was already accepted or refused");
        }
    }
}
