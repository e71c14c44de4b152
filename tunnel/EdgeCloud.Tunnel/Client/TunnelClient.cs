using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Tunnel;

/// <summary>
/// The dialing end: keeps one tunnel session up to one of <see cref="TunnelClientOptions.Endpoints"/>, forever.
/// Any failure (refused dial, handshake rejected, dead peer, server restart) leads to another dial after an
/// exponential backoff with jitter, failing over to the next endpoint, until the client is disposed.
/// <see cref="TunnelClientOptions.SessionEstablished"/> runs on each new session so the caller re-opens its streams.
/// </summary>
public sealed class TunnelClient : IAsyncDisposable
{
    /// <summary>A session that stayed up this long counts as healthy: the next failure starts the backoff over.</summary>
    private static readonly TimeSpan StableSession = TimeSpan.FromSeconds(10);

    private readonly TunnelClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposing = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource<TunnelSession> _nextSession = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TunnelSession? _current;
    private Task? _run;
    private int _sessionsEstablished;

    /// <summary>Creates the client; <see cref="Start"/> dials.</summary>
    public TunnelClient(TunnelClientOptions options, TimeProvider? timeProvider = null, ILogger<TunnelClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The session that is up now, or null while (re)connecting.</summary>
    public TunnelSession? CurrentSession
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <summary>The endpoint of the current session, or null.</summary>
    public Uri? CurrentEndpoint { get; private set; }

    /// <summary>Sessions established so far (1 after the first connect, +1 per reconnect).</summary>
    public int SessionsEstablished => Volatile.Read(ref _sessionsEstablished);

    /// <summary>Starts dialing. Calling it again does nothing.</summary>
    public void Start()
    {
        lock (_lock)
        {
            _run ??= Task.Run(() => RunAsync(_disposing.Token));
        }
    }

    /// <summary>The current session, or the next one to be established.</summary>
    public Task<TunnelSession> WaitForSessionAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _current is { Completion.IsCompleted: false } current ? Task.FromResult(current) : _nextSession.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Stops reconnecting and closes the current session.</summary>
    public async ValueTask DisposeAsync()
    {
        await _disposing.CancelAsync();
        Task? run;
        lock (_lock)
        {
            run = _run;
        }

        if (run is not null)
        {
            await run;
        }

        _nextSession.TrySetCanceled();
        _disposing.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new ReconnectBackoff(_options.ReconnectInitialDelay, _options.ReconnectMaxDelay, Random.Shared);
        var endpointIndex = 0;
        var firstAttempt = true;
        var roleTag = TunnelMetrics.Role(TunnelRole.Client);
        while (!cancellationToken.IsCancellationRequested)
        {
            var endpoint = _options.Endpoints[endpointIndex % _options.Endpoints.Count];
            if (!firstAttempt)
            {
                TunnelMetrics.Reconnects.Add(1, roleTag);
            }

            firstAttempt = false;
            Exception? failure = null;
            TunnelSession? session = null;
            try
            {
                var webSocket = await ConnectAsync(endpoint, cancellationToken);
                session = new TunnelSession(webSocket, TunnelRole.Client, _options.Tunnel, _options.StreamHandler, _timeProvider, _logger);
                session.Start();
                var started = _timeProvider.GetTimestamp();
                Publish(session, endpoint);
                TunnelLog.Connected(_logger, endpoint);
                if (_options.SessionEstablished is { } established)
                {
                    try
                    {
                        await established(session, cancellationToken);
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                    {
                        TunnelLog.SessionCallbackFailed(_logger, e);
                    }
                }

                try
                {
                    await session.Completion.WaitAsync(cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = e;
                }

                if (_timeProvider.GetElapsedTime(started) >= StableSession)
                {
                    backoff.Reset();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                // The dial failed: the next attempt goes to the next endpoint.
                failure = e;
                endpointIndex++;
            }
            finally
            {
                Unpublish(session);
                if (session is not null)
                {
                    await session.DisposeAsync();
                }
            }

            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            var delay = backoff.Next();
            if (session is null || failure is not null)
            {
                TunnelLog.ConnectionFailed(_logger, endpoint, (long)delay.TotalMilliseconds, TunnelLog.Reason(failure ?? new TunnelSessionClosedException("closed")));
            }
            else
            {
                TunnelLog.ConnectionClosed(_logger, endpoint, (long)delay.TotalMilliseconds);
            }

            try
            {
                await Task.Delay(delay, _timeProvider, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task<WebSocket> ConnectAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var webSocket = new ClientWebSocket();
        // The tunnel's own Ping/Pong keeps the session alive from both ends; WebSocket pings would only add bytes.
        webSocket.Options.KeepAliveInterval = TimeSpan.Zero;
        webSocket.Options.CollectHttpResponseDetails = true;
        _options.ConfigureWebSocket?.Invoke(webSocket.Options);
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            if (_options.HttpMessageInvoker is { } invoker)
            {
                await webSocket.ConnectAsync(endpoint, invoker, linked.Token);
            }
            else
            {
                await webSocket.ConnectAsync(endpoint, linked.Token);
            }

            return webSocket;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            webSocket.Dispose();
            throw new TimeoutException($"connecting to {endpoint} took longer than {_options.ConnectTimeout.TotalSeconds:0.#} s");
        }
        catch (WebSocketException) when ((int)webSocket.HttpStatusCode is >= 400 and < 500)
        {
            var status = (int)webSocket.HttpStatusCode;
            var reason = webSocket.HttpResponseHeaders?.TryGetValue(TunnelHandshakeRejectedException.ReasonHeader, out var values) == true && values.FirstOrDefault() is { } escaped
                ? Uri.UnescapeDataString(escaped)
                : "no reason given";
            webSocket.Dispose();
            throw new TunnelHandshakeRejectedException(endpoint, status, reason);
        }
        catch
        {
            webSocket.Dispose();
            throw;
        }
    }

    private void Publish(TunnelSession session, Uri endpoint)
    {
        TaskCompletionSource<TunnelSession> next;
        lock (_lock)
        {
            _current = session;
            CurrentEndpoint = endpoint;
            next = _nextSession;
            _nextSession = new TaskCompletionSource<TunnelSession>(TaskCreationOptions.RunContinuationsAsynchronously);
            _sessionsEstablished++;
        }

        next.TrySetResult(session);
    }

    private void Unpublish(TunnelSession? session)
    {
        lock (_lock)
        {
            if (session is not null && _current == session)
            {
                _current = null;
                CurrentEndpoint = null;
            }
        }
    }
}
