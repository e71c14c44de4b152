using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using EdgeCloud.Tunnel.Framing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Tunnel;

/// <summary>
/// Many streams over one WebSocket, the same on both ends: either side opens streams
/// (<see cref="OpenStreamAsync(string, CancellationToken)"/>) and the other side's <see cref="TunnelStreamHandler"/>
/// accepts or refuses each one. A refused, reset or failed stream never ends the session; only a transport error,
/// a protocol error, a keepalive timeout or a close does. One read loop parses frames. One sender at a time (usually
/// the writer itself, else a write loop) sends control frames first, then writes that fit one frame of
/// <see cref="TunnelOptions.DataFrameSize"/>, then the other streams' writes round-robin in frames of up to 64 KiB.
/// </summary>
public sealed partial class TunnelSession : IAsyncDisposable
{
    /// <summary>Queued control frames beyond this mean the peer floods us while not reading: the session ends.</summary>
    private const int MaxQueuedControlFrames = 16 * 1024;

    /// <summary>The smallest window a stream gets once <see cref="TunnelOptions.SessionReceiveBudget"/> is used up.</summary>
    private const int MinStreamWindow = 16 * 1024;

    private readonly WebSocket _webSocket;
    private readonly TunnelOptions _options;
    private readonly TunnelStreamHandler? _streamHandler;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly KeyValuePair<string, object?> _roleTag;

    private readonly Lock _lock = new();
    private readonly Dictionary<int, TunnelStream> _streams = [];
    private readonly Queue<ControlFrame> _controls = new();
    private readonly Queue<TunnelStream> _ready = new();
    private readonly Channel<bool> _writeSignal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private int _nextLocalId;
    private int _highestPeerId;
    private int _peerStreamCount;
    private long _committedReceiveWindow;

    /// <summary>What streams' windows grew beyond their initial ones, together (at most an eighth of the budget).</summary>
    private long _grownReceiveWindow;
    private bool _shuttingDown;
    private bool _peerGoingAway;
    private bool _closeRequested;
    private bool _ended;
    private bool _pingPending;
    private bool _pongPending;
    private long _lastReceived;
    private Exception? _abortReason;
    private ITimer? _keepAlive;
    private Task? _run;

    /// <summary>Wraps an open WebSocket. Call <see cref="Start"/> to run it; the session owns and disposes the socket.</summary>
    /// <param name="webSocket">An open WebSocket; nothing else may read or write it.</param>
    /// <param name="role">Which end this is; decides the stream ids this side allocates.</param>
    /// <param name="options">Settings; validated here. Null for the defaults.</param>
    /// <param name="streamHandler">Decides on streams the peer opens; null refuses them all.</param>
    /// <param name="timeProvider">Clock of the keepalive; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Where session events go.</param>
    public TunnelSession(WebSocket webSocket, TunnelRole role, TunnelOptions? options = null, TunnelStreamHandler? streamHandler = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(webSocket);
        _options = options ?? new TunnelOptions();
        _options.Validate();
        _webSocket = webSocket;
        Role = role;
        _streamHandler = streamHandler;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _roleTag = TunnelMetrics.Role(role);
        _nextLocalId = role == TunnelRole.Client ? 1 : 2;
    }

    /// <summary>Which end of the WebSocket this session is.</summary>
    public TunnelRole Role { get; }

    /// <summary>Who the peer is, as the server's authentication hook established it; null on the client side unless set.</summary>
    public string? Identity { get; init; }

    /// <summary>Time since the last bytes arrived from the peer (keepalive included): how fresh this session's proof of life is.</summary>
    public TimeSpan SinceLastReceived => _timeProvider.GetElapsedTime(Volatile.Read(ref _lastReceived));

    /// <summary>
    /// Completes when the session has ended: successfully after a close handshake, faulted with the reason otherwise
    /// (<see cref="TimeoutException"/> for a dead peer, <see cref="TunnelProtocolException"/>, <see cref="WebSocketException"/>,
    /// <see cref="TunnelSessionClosedException"/> for a local abort).
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>Streams currently open (or being opened) in either direction.</summary>
    public int StreamCount
    {
        get
        {
            lock (_lock)
            {
                return _streams.Count;
            }
        }
    }

    /// <summary>True once either side started a graceful shutdown: no new streams.</summary>
    public bool IsShuttingDown
    {
        get
        {
            lock (_lock)
            {
                return _shuttingDown || _peerGoingAway || _ended;
            }
        }
    }

    /// <summary>Starts the read, write and keepalive loops. Calling it again does nothing.</summary>
    public void Start()
    {
        lock (_lock)
        {
            if (_run is not null)
            {
                return;
            }

            _lastReceived = _timeProvider.GetTimestamp();
            // Tick at a third of the interval so that a Ping goes out within 4/3 of the interval of silence and a
            // dead peer is declared within a third of an interval after the timeout.
            var tick = TimeSpan.FromTicks(Math.Max(_options.KeepAliveInterval.Ticks / 3, TimeSpan.TicksPerMillisecond));
            _keepAlive = _timeProvider.CreateTimer(static state => ((TunnelSession)state!).OnKeepAliveTick(), this, tick, tick);
            _run = Task.Run(RunAsync);
        }
    }

    /// <summary>Opens a stream whose header is the UTF-8 of <paramref name="target"/>.</summary>
    /// <inheritdoc cref="OpenStreamAsync(ReadOnlyMemory{byte}, CancellationToken)"/>
    public Task<TunnelStream> OpenStreamAsync(string target, CancellationToken cancellationToken = default) =>
        OpenStreamAsync(Encoding.UTF8.GetBytes(target), cancellationToken);

    /// <summary>
    /// Opens a stream and waits for the peer to accept it. The header (at most 4,096 bytes) tells the peer what
    /// the stream is for.
    /// </summary>
    /// <exception cref="TunnelStreamRefusedException">The peer refused; the session goes on.</exception>
    /// <exception cref="TunnelSessionClosedException">The session ended or is shutting down.</exception>
    public async Task<TunnelStream> OpenStreamAsync(ReadOnlyMemory<byte> header, CancellationToken cancellationToken = default)
    {
        if (header.Length > FrameParser.MaxOpenHeaderLength)
        {
            throw new ArgumentException($"the stream header is {header.Length} bytes; at most {FrameParser.MaxOpenHeaderLength} are allowed", nameof(header));
        }

        cancellationToken.ThrowIfCancellationRequested();
        TunnelStream stream;
        lock (_lock)
        {
            if (_ended || _shuttingDown || _peerGoingAway)
            {
                throw new TunnelSessionClosedException(_ended ? "the tunnel session has ended" : "the tunnel session is shutting down");
            }

            if (_nextLocalId > int.MaxValue - 2)
            {
                throw new TunnelSessionClosedException("the tunnel session has used up its stream ids; open a new session");
            }

            var id = _nextLocalId;
            _nextLocalId += 2;
            stream = new TunnelStream(this, id, header.ToArray(), NextReceiveWindow(), openedByPeer: false)
            {
                OpenCompletion = new TaskCompletionSource<TunnelStream>(TaskCreationOptions.RunContinuationsAsynchronously),
            };
            AddStream(stream);
            EnqueueControl(new ControlFrame(FrameType.Open, id, stream.ReceiveWindow, stream.Header.ToArray()));
        }

        Signal();
        using var registration = cancellationToken.Register(() => CancelOpen(stream, cancellationToken));
        return await stream.OpenCompletion.Task;
    }

    /// <summary>
    /// Graceful shutdown: tells the peer (GoAway) that no new streams are accepted, waits until the open streams
    /// have finished or <paramref name="cancellationToken"/> fires (then they are cut), and closes the WebSocket.
    /// Returns when the session has ended.
    /// </summary>
    public async Task ShutdownAsync(string reason = "shutting down", CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            BeginShutdown(reason);
        }

        Signal();
        try
        {
            await _drained.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The deadline passed: close anyway, cutting what is still open.
        }

        await CloseAsync();
    }

    /// <summary>Ends the session at once: the connection is dropped, every stream fails. <see cref="Completion"/> faults with <paramref name="reason"/>.</summary>
    public void Abort(Exception? reason = null)
    {
        lock (_lock)
        {
            _abortReason ??= reason ?? new TunnelSessionClosedException("the tunnel session was aborted");
        }

        _stopping.Cancel();
        _webSocket.Abort();
    }

    /// <summary>Closes without draining: GoAway, WebSocket close (bounded by <see cref="TunnelOptions.CloseTimeout"/>), then every stream still open fails.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_run is null)
        {
            lock (_lock)
            {
                if (_run is null)
                {
                    _ended = true;
                    _webSocket.Dispose();
                    _completion.TrySetResult();
                    return;
                }
            }
        }

        lock (_lock)
        {
            BeginShutdown("closing");
        }

        await CloseAsync();
    }

    private async Task CloseAsync()
    {
        lock (_lock)
        {
            _closeRequested = true;
        }

        Signal();
        if (_run is null)
        {
            return;
        }

        try
        {
            await _run.WaitAsync(_options.CloseTimeout, _timeProvider);
        }
        catch (TimeoutException)
        {
            Abort(new TunnelSessionClosedException("the peer did not answer the WebSocket close in time"));
            await _run;
        }
    }

    private void BeginShutdown(string reason)
    {
        if (!_shuttingDown && !_ended)
        {
            _shuttingDown = true;
            EnqueueControl(new ControlFrame(FrameType.GoAway, 0, 0, ControlFrame.Reason(reason)));
        }

        if (_streams.Count == 0)
        {
            _drained.TrySetResult();
        }
    }

    private async Task RunAsync()
    {
        TunnelMetrics.Sessions.Add(1, _roleTag);
        TunnelLog.SessionStarted(_logger, Role, Identity);
        var writer = WriteLoopAsync();
        Exception? error = null;
        try
        {
            await ReadLoopAsync();
        }
        catch (Exception e)
        {
            error = e;
        }

        lock (_lock)
        {
            if (_abortReason is not null)
            {
                error = _abortReason;
            }
        }

        if (error is null)
        {
            // The peer closed: fail what is left, answer its close (or it answered ours), then stop.
            FailStreams(new TunnelSessionClosedException("the tunnel session was closed"));
            lock (_lock)
            {
                _closeRequested = true;
            }

            Signal();
            try
            {
                await writer.WaitAsync(_options.CloseTimeout, _timeProvider);
            }
            catch (TimeoutException)
            {
                _webSocket.Abort();
            }
        }
        else
        {
            _webSocket.Abort();
        }

        _stopping.Cancel();
        await writer;
        if (_keepAlive is not null)
        {
            await _keepAlive.DisposeAsync();
        }

        FailStreams(new TunnelSessionClosedException(error is null ? "the tunnel session was closed" : "the tunnel session failed: " + error.Message, error));
        _webSocket.Dispose();
        TunnelMetrics.Sessions.Add(-1, _roleTag);
        if (error is null)
        {
            TunnelLog.SessionClosed(_logger, Role, Identity);
            _completion.TrySetResult();
        }
        else
        {
            TunnelLog.SessionFailed(_logger, Role, Identity, error);
            _completion.TrySetException(error);
        }
    }

    private void OnKeepAliveTick()
    {
        var idle = _timeProvider.GetElapsedTime(Volatile.Read(ref _lastReceived));
        if (idle >= _options.KeepAliveTimeout)
        {
            Abort(new TimeoutException($"nothing received from the peer for {idle.TotalSeconds:0.0} s (keepalive timeout {_options.KeepAliveTimeout.TotalSeconds:0.0} s): the peer or the path to it is dead"));
            return;
        }

        if (idle >= _options.KeepAliveInterval)
        {
            lock (_lock)
            {
                _pingPending = true;
            }

            Signal();
        }
    }

    private void Signal() => _writeSignal.Writer.TryWrite(true);

    private int NextReceiveWindow()
    {
        var available = _options.SessionReceiveBudget - _committedReceiveWindow;
        return (int)Math.Max(Math.Min(available, _options.InitialStreamWindow), Math.Min(MinStreamWindow, _options.InitialStreamWindow));
    }

    private void EnqueueControl(ControlFrame frame)
    {
        if (_controls.Count >= MaxQueuedControlFrames)
        {
            // Called under the lock: cancel from elsewhere, as cancellation runs callbacks inline.
            var reason = new TunnelProtocolException("the peer makes this side queue frames faster than it reads them");
            _ = Task.Run(() => Abort(reason));
            return;
        }

        _controls.Enqueue(frame);
    }
}
