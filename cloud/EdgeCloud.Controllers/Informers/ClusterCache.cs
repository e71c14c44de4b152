using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Store;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Controllers.Informers;

/// <summary>
/// The controllers' view of one cluster, as client-go's shared informers: the objects of the watched kinds, listed
/// at one revision and then kept current by one watch over the whole cluster, with an index by controller owner
/// and by node. Subscribers hear every change after it is applied. The controllers' own writes are applied at
/// once (<see cref="Observe"/>), so a controller reads what it just wrote before its watch event arrives.
/// Objects handed out are the cache's own: callers clone before changing them.
/// </summary>
public sealed partial class ClusterCache : IAsyncDisposable
{
    private readonly ResourceStore _objects;
    private readonly ILogger _logger;
    private readonly Dictionary<string, KindDefinition> _kindsByPrefix = new(StringComparer.Ordinal);
    // Keyed by the kind's key prefix, not by the definition instance: lazily built definitions may exist twice.
    private readonly Dictionary<string, Dictionary<string, JsonObject>> _byKind = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _byOwner = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _podsByNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (KindDefinition Kind, string Key)> _byUid = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly List<Action<ObjectChange>> _subscribers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly KindDefinition _pods;
    private readonly List<(long Revision, TaskCompletionSource Done)> _revisionWaiters = [];
    private Task _watching = Task.CompletedTask;

    /// <summary>A cache of <paramref name="kinds"/> in <paramref name="cluster"/>.</summary>
    public ClusterCache(ResourceStore objects, string cluster, IEnumerable<KindDefinition> kinds, ILogger logger)
    {
        _objects = objects;
        _logger = logger;
        Cluster = cluster;
        foreach (var kind in kinds)
        {
            _kindsByPrefix[ObjectKeys.Prefix(kind, null)] = kind;
            _byKind[ObjectKeys.Prefix(kind, null)] = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        }

        _pods = Kube.Kinds.PodSchemas.Pod;
    }

    /// <summary>The cluster cached.</summary>
    public string Cluster { get; }

    /// <summary>The revision the cache has applied up to.</summary>
    public long Revision { get; private set; }

    /// <summary>Completes once the first list is in.</summary>
    public Task Synced => _synced.Task;

    /// <summary>Completes once the cache has applied every change up to <paramref name="revision"/>.</summary>
    public Task WaitForRevisionAsync(long revision, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (Revision >= revision)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _revisionWaiters.Add((revision, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Adds a subscriber; it is called for every change after <see cref="StartAsync"/>, on the watch's thread.</summary>
    public void Subscribe(Action<ObjectChange> subscriber)
    {
        lock (_lock)
        {
            _subscribers.Add(subscriber);
        }
    }

    /// <summary>Lists every watched kind at one revision, then starts following changes.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RelistAsync(cancellationToken);
        _synced.TrySetResult();
        _watching = Task.Run(() => FollowAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>The object, or null.</summary>
    public JsonObject? Get(KindDefinition kind, string? ns, string name)
    {
        lock (_lock)
        {
            return Table(kind).GetValueOrDefault(ObjectKeys.Key(kind, ns, name));
        }
    }

    /// <summary>Every object of <paramref name="kind"/> (a snapshot).</summary>
    public List<JsonObject> List(KindDefinition kind)
    {
        lock (_lock)
        {
            return [.. Table(kind).Values];
        }
    }

    /// <summary>Objects of <paramref name="kind"/> in namespace <paramref name="ns"/>.</summary>
    public List<JsonObject> List(KindDefinition kind, string ns)
    {
        var prefix = ObjectKeys.Prefix(kind, ns);
        lock (_lock)
        {
            return [.. Table(kind).Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(static e => e.Value)];
        }
    }

    /// <summary>Objects of <paramref name="kind"/> whose ownerReferences name <paramref name="ownerUid"/>.</summary>
    public List<JsonObject> OwnedBy(KindDefinition kind, string ownerUid)
    {
        lock (_lock)
        {
            if (!_byOwner.TryGetValue(ownerUid, out var keys))
            {
                return [];
            }

            var objects = Table(kind);
            return [.. keys.Select(k => objects.GetValueOrDefault(k)).OfType<JsonObject>()];
        }
    }

    /// <summary>Pods bound to <paramref name="node"/>.</summary>
    public List<JsonObject> PodsOn(string node)
    {
        lock (_lock)
        {
            if (!_podsByNode.TryGetValue(node, out var keys))
            {
                return [];
            }

            var pods = Table(_pods);
            return [.. keys.Select(k => pods.GetValueOrDefault(k)).OfType<JsonObject>()];
        }
    }

    /// <summary>The object with <paramref name="uid"/> (of any watched kind), or null.</summary>
    public (KindDefinition Kind, JsonObject Object)? ByUid(string uid)
    {
        lock (_lock)
        {
            return _byUid.TryGetValue(uid, out var entry) && Table(entry.Kind).TryGetValue(entry.Key, out var obj) ? (entry.Kind, obj) : null;
        }
    }

    /// <summary>Applies an object this process just wrote, unless the cache already holds that version or a newer one.</summary>
    public void Observe(KindDefinition kind, JsonObject written)
    {
        if (!_byKind.ContainsKey(ObjectKeys.Prefix(kind, null)))
        {
            return;
        }

        var metadata = written.Metadata();
        var key = ObjectKeys.Key(kind, metadata.GetString("namespace"), metadata.GetString("name")!);
        Apply(kind, key, written, Rv(written));
    }

    /// <summary>Forgets an object this process just deleted (at <paramref name="revision"/>).</summary>
    public void ObserveDeleted(KindDefinition kind, string? ns, string name, long revision)
    {
        if (_byKind.ContainsKey(ObjectKeys.Prefix(kind, null)))
        {
            Apply(kind, ObjectKeys.Key(kind, ns, name), null, revision);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _watching;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RelistAsync(CancellationToken cancellationToken)
    {
        long revision = 0;
        var fresh = new Dictionary<KindDefinition, List<JsonObject>>();
        foreach (var kind in _kindsByPrefix.Values)
        {
            var listed = await _objects.ListAsync(Cluster, kind, null, 0, null, revision, static _ => true, cancellationToken);
            revision = listed.Revision;
            fresh[kind] = [.. listed.Items];
        }

        var changes = new List<ObjectChange>();
        lock (_lock)
        {
            foreach (var (kind, items) in fresh)
            {
                var current = Table(kind);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var item in items)
                {
                    var key = ObjectKeys.Key(kind, item.Metadata().GetString("namespace"), item.Metadata().GetString("name")!);
                    seen.Add(key);
                    var old = current.GetValueOrDefault(key);
                    if (old is null || Rv(old) != Rv(item))
                    {
                        SetLocked(kind, key, old, item);
                        changes.Add(new ObjectChange(kind, old, item));
                    }
                }

                foreach (var gone in current.Keys.Where(k => !seen.Contains(k)).ToList())
                {
                    var old = current[gone];
                    SetLocked(kind, gone, old, null);
                    changes.Add(new ObjectChange(kind, old, null));
                }
            }

        }

        Publish(changes);
        AdvanceTo(revision);
    }

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var watch = await _objects.Store.WatchAsync(Cluster, "/", Revision, cancellationToken);
                await foreach (var change in watch.ReadAllAsync(cancellationToken))
                {
                    OnStoreChange(change);
                }

                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ClusterNotFoundException)
            {
                return;
            }
            catch (Exception error) when (error is RevisionCompactedException or WatchTerminatedException)
            {
                // Fell behind the retained history or the watch buffer: list again, as an informer relists.
                LogRelist(_logger, Cluster, error.Message);
                await RelistAsync(cancellationToken);
            }
        }
    }

    private void OnStoreChange(WatchEvent change)
    {
        var slash = change.Key.IndexOf('/', change.Key.IndexOf('/', 1) + 1);
        if (slash >= 0 && _kindsByPrefix.TryGetValue(change.Key[..(slash + 1)], out var kind))
        {
            var value = change.Type == Store.WatchEventType.Deleted ? null : ObjectJson.FromStored(change.Value.Span, change.Revision);
            Apply(kind, change.Key, value, change.Revision);
        }

        AdvanceTo(change.Revision);
    }

    private void AdvanceTo(long revision)
    {
        List<TaskCompletionSource>? done = null;
        lock (_lock)
        {
            Revision = Math.Max(Revision, revision);
            for (var i = _revisionWaiters.Count - 1; i >= 0; i--)
            {
                if (_revisionWaiters[i].Revision <= Revision)
                {
                    (done ??= []).Add(_revisionWaiters[i].Done);
                    _revisionWaiters.RemoveAt(i);
                }
            }
        }

        done?.ForEach(static d => d.TrySetResult());
    }

    private void Apply(KindDefinition kind, string key, JsonObject? value, long revision)
    {
        ObjectChange change;
        lock (_lock)
        {
            var objects = Table(kind);
            var old = objects.GetValueOrDefault(key);
            // Our own write may have been applied before its watch event (or a newer version meanwhile).
            if (old is not null && Rv(old) >= revision)
            {
                return;
            }

            if (old is null && value is null)
            {
                return;
            }

            SetLocked(kind, key, old, value);
            change = new ObjectChange(kind, old, value);
        }

        Publish([change]);
    }

    private void SetLocked(KindDefinition kind, string key, JsonObject? old, JsonObject? value)
    {
        if (old is not null)
        {
            Unindex(kind, key, old);
        }

        if (value is null)
        {
            Table(kind).Remove(key);
            return;
        }

        Table(kind)[key] = value;
        Index(kind, key, value);
    }

    private void Index(KindDefinition kind, string key, JsonObject obj)
    {
        var metadata = obj.Metadata();
        if (metadata.GetString("uid") is { } uid)
        {
            _byUid[uid] = (kind, key);
        }

        foreach (var owner in OwnerUids(metadata))
        {
            if (!_byOwner.TryGetValue(owner, out var keys))
            {
                _byOwner[owner] = keys = new HashSet<string>(StringComparer.Ordinal);
            }

            keys.Add(key);
        }

        if (IsPods(kind) && NodeOf(obj) is { } node)
        {
            if (!_podsByNode.TryGetValue(node, out var keys))
            {
                _podsByNode[node] = keys = new HashSet<string>(StringComparer.Ordinal);
            }

            keys.Add(key);
        }
    }

    private void Unindex(KindDefinition kind, string key, JsonObject obj)
    {
        var metadata = obj.Metadata();
        if (metadata.GetString("uid") is { } uid)
        {
            _byUid.Remove(uid);
        }

        foreach (var owner in OwnerUids(metadata))
        {
            if (_byOwner.TryGetValue(owner, out var keys) && keys.Remove(key) && keys.Count == 0)
            {
                _byOwner.Remove(owner);
            }
        }

        if (IsPods(kind) && NodeOf(obj) is { } node && _podsByNode.TryGetValue(node, out var podKeys) && podKeys.Remove(key) && podKeys.Count == 0)
        {
            _podsByNode.Remove(node);
        }
    }

    private void Publish(List<ObjectChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        Action<ObjectChange>[] subscribers;
        lock (_lock)
        {
            subscribers = [.. _subscribers];
        }

        foreach (var change in changes)
        {
            foreach (var subscriber in subscribers)
            {
                subscriber(change);
            }
        }
    }

    private Dictionary<string, JsonObject> Table(KindDefinition kind) => _byKind[ObjectKeys.Prefix(kind, null)];

    private static bool IsPods(KindDefinition kind) => kind is { Group: "", Plural: "pods" };

    /// <summary>The node a pod is bound to, or null.</summary>
    public static string? NodeOf(JsonObject pod) => (pod["spec"] as JsonObject)?.GetString("nodeName") is { Length: > 0 } node ? node : null;

    private static IEnumerable<string> OwnerUids(JsonObject metadata) =>
        (metadata["ownerReferences"] as JsonArray)?.Select(static r => (r as JsonObject)?.GetString("uid")).OfType<string>() ?? [];

    private static long Rv(JsonObject obj) =>
        long.TryParse(obj.Metadata().GetString("resourceVersion"), NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : 0;

    [LoggerMessage(Level = LogLevel.Information, Message = "controller cache of cluster {Cluster} lists again: {Reason}")]
    private static partial void LogRelist(ILogger logger, string cluster, string reason);
}
