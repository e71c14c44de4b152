using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Server.NodeProxy.Spdy;
using EdgeCloud.Tunnel.Node;

namespace EdgeCloud.Server.NodeProxy;

/// <summary>
/// kubectl 1.27–1.29's exec transport (and 1.30+'s fallback): the connection upgrades to SPDY/3.1 with
/// X-Stream-Protocol-Version v4.channel.k8s.io, then the client opens one stream per channel, naming it in the
/// "streamtype" header (error, stdin, stdout, stderr, resize). The server writes the final Status JSON on the error
/// stream and half-closes stdout, stderr and error; the client then closes the connection.
/// </summary>
internal sealed class SpdyExecClient : IExecClient
{
    /// <summary>The remote command protocol served over SPDY.</summary>
    public const string Protocol = "v4.channel.k8s.io";

    /// <summary>How long the client may take to open its streams: 30 seconds, as the kubelet's stream creation timeout.</summary>
    public static readonly TimeSpan StreamCreationTimeout = TimeSpan.FromSeconds(30);

    private readonly SpdyServerSession _session;
    private readonly Stream _transport;
    private readonly NodeExecOptions _options;
    private readonly Dictionary<string, int> _streams = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _allOpened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<byte> _resizeBuffer = [];
    private ExecFrameWriter? _agent;
    private readonly TaskCompletionSource<ExecFrameWriter> _agentReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _reading;

    private SpdyExecClient(Stream transport, NodeExecOptions options)
    {
        _transport = transport;
        _options = options;
        _session = new SpdyServerSession(transport)
        {
            StreamOpened = OnStreamOpenedAsync,
            DataReceived = OnDataAsync,
            StreamReset = OnReset,
        };
    }

    /// <summary>Answers 101 Switching Protocols, then waits until the client has opened the streams the options call for.</summary>
    public static async Task<SpdyExecClient> AcceptAsync(HttpContext context, NodeExecOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var transport = await StreamUpgrades.AcceptSpdyAsync(context, Protocol);
        var client = new SpdyExecClient(transport, options);
        client._reading = client._session.RunAsync(cancellationToken);
        using var timeout = new CancellationTokenSource(StreamCreationTimeout, timeProvider);
        try
        {
            await Task.WhenAny(client._allOpened.Task, client._reading).WaitAsync(timeout.Token);
            if (!client._allOpened.Task.IsCompleted)
            {
                throw new IOException("the client closed the SPDY connection before opening its streams");
            }
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }

        return client;
    }

    public async Task RelayInputAsync(ExecFrameWriter agent, CancellationToken cancellationToken)
    {
        _agent = agent;
        _agentReady.TrySetResult(agent);
        await _reading!.WaitAsync(cancellationToken);
    }

    public ValueTask WriteOutputAsync(ExecChannel channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        return IdOf(channel == ExecChannel.Stderr ? "stderr" : "stdout") is { } id ? _session.WriteDataAsync(id, data, fin: false, cancellationToken) : ValueTask.CompletedTask;
    }

    public async ValueTask FinishAsync(JsonObject status, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(status, ServerJsonContext.Default.JsonObject);
        foreach (var type in (string[])["stdout", "stderr"])
        {
            if (IdOf(type) is { } id)
            {
                await _session.WriteDataAsync(id, ReadOnlyMemory<byte>.Empty, fin: true, cancellationToken);
            }
        }

        if (IdOf("error") is { } error)
        {
            await _session.WriteDataAsync(error, json, fin: true, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A read loop waiting to hand stdin to a relay that never started must not hold the dispose up.
        _agentReady.TrySetCanceled();
        await _transport.DisposeAsync();
        if (_reading is not null)
        {
            try
            {
                await _reading;
            }
            catch (Exception)
            {
                // The connection is closed; whatever the read loop saw last no longer matters.
            }
        }
    }

    private ValueTask OnStreamOpenedAsync(int id, IReadOnlyDictionary<string, string> headers)
    {
        if (headers.TryGetValue("streamtype", out var type))
        {
            lock (_streams)
            {
                _streams[type] = id;
                var expected = new List<string> { "error" };
                if (_options.Stdin)
                {
                    expected.Add("stdin");
                }

                if (_options.Stdout)
                {
                    expected.Add("stdout");
                }

                if (_options.Stderr && !_options.Tty)
                {
                    expected.Add("stderr");
                }

                if (_options.Tty)
                {
                    expected.Add("resize");
                }

                if (expected.All(_streams.ContainsKey))
                {
                    _allOpened.TrySetResult();
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask OnDataAsync(int id, ReadOnlyMemory<byte> data, bool fin)
    {
        if (Is("stdin", id))
        {
            // Stdin may arrive before the relay starts: wait for the agent's writer.
            var agent = _agent ?? await _agentReady.Task;
            await agent.WriteDataAsync(ExecChannel.Stdin, data);
            if (fin)
            {
                await agent.WriteStdinEndAsync();
            }
        }
        else if (Is("resize", id))
        {
            await OnResizeAsync(data);
        }
    }

    private async ValueTask OnReset(int id)
    {
        if (Is("stdin", id) && _agent is { } agent)
        {
            await agent.WriteStdinEndAsync();
        }
    }

    /// <summary>The resize stream carries JSON TerminalSize documents back to back (Go's json.Encoder: one per line).</summary>
    private async ValueTask OnResizeAsync(ReadOnlyMemory<byte> data)
    {
        _resizeBuffer.AddRange(data.Span);
        int newline;
        while ((newline = _resizeBuffer.IndexOf((byte)'\n')) >= 0)
        {
            var line = _resizeBuffer.GetRange(0, newline).ToArray();
            _resizeBuffer.RemoveRange(0, newline + 1);
            if (WebSocketExecClient.TryParseResize(line, out var columns, out var rows) && (_agent ?? await _agentReady.Task) is { } agent)
            {
                await agent.WriteResizeAsync(columns, rows);
            }
        }

        if (_resizeBuffer.Count > 4096)
        {
            _resizeBuffer.Clear();
        }
    }

    private int? IdOf(string type)
    {
        lock (_streams)
        {
            return _streams.TryGetValue(type, out var id) ? id : null;
        }
    }

    private bool Is(string type, int id)
    {
        lock (_streams)
        {
            return _streams.TryGetValue(type, out var known) && known == id;
        }
    }
}
