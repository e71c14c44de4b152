using EdgeCloud.Agent.Cloud;
using EdgeCloud.Agent.Join;
using EdgeCloud.Agent.Node;
using EdgeCloud.Agent.Pods;
using EdgeCloud.Agent.Runtime;
using EdgeCloud.Agent.Streams;
using EdgeCloud.Tunnel;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Agent;

/// <summary>
/// One agent: its pods run from the local cache at once (the cloud may be unreachable), then it pins the cloud's
/// CA, dials the tunnel and, on every session, registers the node, renews its Lease, watches its pods, writes
/// their statuses and finishes their deletions, until the session drops and the next one takes over.
/// </summary>
internal sealed partial class EdgeAgent : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly AgentOptions _options;
    private readonly JoinToken _token;
    private readonly JoinedCluster _joined;
    private readonly IContainerRuntime _runtime;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly PodCache _cache;
    private readonly ReferencedObjects _objects;
    private readonly PodStatusReporter _statuses = new();
    private readonly PodEventRecorder _events;
    private readonly ProbeRunner _probes = new();
    private readonly PodSupervisor _supervisor;
    private readonly NodeFacts _facts = NodeFacts.Read();
    private CloudConnection? _connection;

    public EdgeAgent(AgentOptions options, JoinToken token, IContainerRuntime runtime, TimeProvider time, ILoggerFactory loggers)
    {
        _options = options;
        _joined = new JoinedCluster(options.JoinedClusterPath);
        _token = token;
        _runtime = runtime;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger("edge-agent");
        Directory.CreateDirectory(options.PodsDirectory);
        _cache = PodCache.Open(options.CachePath);
        _objects = new ReferencedObjects(_cache);
        _events = new PodEventRecorder(options.NodeName, time);
        _supervisor = new PodSupervisor(_cache, new PodWorkerContext
        {
            Runtime = runtime,
            Environment = new PodEnvironment(_objects),
            Volumes = new PodVolumes(_objects),
            Probes = _probes,
            Statuses = _statuses,
            Events = _events,
            Time = time,
            Logger = loggers.CreateLogger("edge-agent.pods"),
            NodeName = options.NodeName,
            HostIp = _facts.InternalAddresses[0],
            PodsDirectory = options.PodsDirectory,
            DeletionReady = static _ => { },
        });
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _supervisor.StartFromCacheAsync(cancellationToken);
        var password = await NodePassword.LoadOrCreateAsync(_options.NodePasswordPath, cancellationToken);
        var trust = await PinAsync(cancellationToken);
        // The cloud's streams into this node: kubectl logs and exec of its pods' containers.
        var streams = new PodStreamHandler(new SupervisorContainerResolver(_supervisor), _time, _loggers.CreateLogger<PodStreamHandler>());
        _connection = new CloudConnection(_options, _token, password, _joined, trust, streams.HandleAsync, OnSessionAsync, _time, _loggers);
        _connection.Start();
        LogDialling(_logger, _options.NodeName, string.Join(", ", _options.Servers));
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        await _supervisor.DisposeAsync();
        _probes.Dispose();
        _cache.Dispose();
    }

    /// <summary>Pins the cloud's CA, retrying while no server answers (the agent may boot before its link).</summary>
    private async Task<ServerTrust> PinAsync(CancellationToken cancellationToken)
    {
        var delay = RetryDelay;
        while (true)
        {
            try
            {
                return await ServerTrust.LoadOrPinAsync(_options.PinnedCaPath, _token, _options.Servers, cancellationToken);
            }
            catch (ServerTrustException e)
            {
                LogPinFailed(_logger, e.Message, (int)delay.TotalSeconds);
                await Task.Delay(delay, _time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
            }
        }
    }

    private Task OnSessionAsync(TunnelSession session, CancellationToken cancellationToken)
    {
        _ = Task.Run(() => OnlineAsync(session, cancellationToken), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>The node's work while <paramref name="session"/> lives; a failed step starts over after a pause.</summary>
    private async Task OnlineAsync(TunnelSession session, CancellationToken cancellationToken)
    {
        using var sessionEnded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _ = session.Completion.ContinueWith(static (_, state) => ((CancellationTokenSource)state!).Cancel(), sessionEnded, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var token = sessionEnded.Token;
        var registration = new NodeRegistration(_options, _facts, RuntimeVersion(), _time);
        var lease = new NodeLease(_options, _time);
        var source = new PodSource(_options, _cache, _supervisor, _logger);
        while (!token.IsCancellationRequested)
        {
            try
            {
                var api = await ClusterApi.IdentifyAsync(_connection!.Http, token);
                await _joined.RememberAsync(api.Cluster, token);
                await registration.RegisterAsync(api, token);
                var node = await api.GetAsync("api/v1/nodes/" + _options.NodeName, token);
                var nodeUid = PodPlan.Text(node?["metadata"]?["uid"]) ?? "";
                _objects.Api = api;
                LogOnline(_logger, _options.NodeName, api.Cluster);
                using var failed = CancellationTokenSource.CreateLinkedTokenSource(token);
                var loops = new[]
                {
                    lease.RunAsync(api, nodeUid, failed.Token),
                    source.RunAsync(api, failed.Token),
                    _statuses.RunAsync(api, failed.Token),
                    _events.RunAsync(api, failed.Token),
                    _supervisor.FinishDeletionsAsync(api, failed.Token),
                };
                var first = await Task.WhenAny(loops);
                await failed.CancelAsync();
                foreach (var loop in loops)
                {
                    try
                    {
                        await loop;
                    }
                    catch (Exception e) when (loop == first && !token.IsCancellationRequested && e is not OperationCanceledException)
                    {
                        LogOnlineFailed(_logger, e.Message);
                    }
                    catch (Exception)
                    {
                        // Cancelled with the others, or the session ended.
                    }
                }
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                LogOnlineFailed(_logger, e.Message);
            }
            catch (Exception)
            {
                break;
            }
            finally
            {
                _objects.Api = null;
            }

            try
            {
                await Task.Delay(RetryDelay, _time, token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private string RuntimeVersion() => _runtime.Name + "://edge-agent";

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node}: dialling {Servers}")]
    private static partial void LogDialling(ILogger logger, string node, string servers);

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node} is online in cluster {Cluster}")]
    private static partial void LogOnline(ILogger logger, string node, string cluster);

    [LoggerMessage(Level = LogLevel.Warning, Message = "talking to the cloud failed ({Reason}); retrying")]
    private static partial void LogOnlineFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason}; retrying in {Seconds} s")]
    private static partial void LogPinFailed(ILogger logger, string reason, int seconds);
}
