using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Store;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Controllers.Informers;

/// <summary>
/// The controllers' view of one cluster, as client-go's shared informers: listed at one revision, then kept current
/// by one watch over the whole cluster. It holds the full objects of the watched kinds, and the metadata
/// (<see cref="ObjectMeta"/>) of every object of every kind, indexed by uid, by owner, by namespace and pods by
/// node. Subscribers hear every change after it is applied. The controllers' own writes are applied at once
/// (<see cref="Observe(KindDefinition, JsonObject)"/>), so a controller reads what it just wrote before its watch event arrives.
/// Objects handed out are the cache's own: callers clone before changing them.
/// </summary>
public sealed partial class ClusterCache : IAsyncDisposable
{
    private const int ListPageSize = 1_000;
    private readonly ResourceStore _objects;
    private readonly ILogger _logger;
    private readonly Dictionary<string, KindDefinition> _kindsByPrefix = new(StringComparer.Ordinal);
    // Full objects of the watched kinds, by kind prefix then key (not by definition instance: lazily built ones may exist twice).
    // Objects are kept as their UTF-8 JSON and parsed on each read: a parsed JsonObject tree costs several times its
    // text, and most clusters are idle, so their objects are read rarely (the tenant density benchmark measured the
    // trees as half the memory of an idle cluster).
    private readonly Dictionary<string, Dictionary<string, CachedObject>> _byKind = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ObjectMeta> _meta = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _keyByUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _dependents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _keysByNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _podsByNode = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly List<Action<ObjectChange>> _subscribers = [];
    private readonly List<Action<ObjectMeta?, ObjectMeta?>> _metaSubscribers = [];
    private readonly List<(long Revision, TaskCompletionSource Done)> _revisionWaiters = [];
    private readonly CancellationTokenSource _stop = new();
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
            _byKind[ObjectKeys.Prefix(kind, null)] = new Dictionary<string, CachedObject>(StringComparer.Ordinal);
        }
    }

    /// <summary>The cluster cached.</summary>
    public string Cluster { get; }

    /// <summary>The revision the cache has applied up to.</summary>
    public long Revision { get; private set; }

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

    /// <summary>Adds a subscriber to changes of the watched kinds; called on the watch's thread, after the change is applied.</summary>
    public void Subscribe(Action<ObjectChange> subscriber)
    {
        lock (_lock)
        {
            _subscribers.Add(subscriber);
        }
    }

    /// <summary>Adds a subscriber to metadata changes of every object (old, new; null when absent).</summary>
    public void SubscribeMetadata(Action<ObjectMeta?, ObjectMeta?> subscriber)
    {
        lock (_lock)
        {
            _metaSubscribers.Add(subscriber);
        }
    }

    /// <summary>Lists the cluster at one revision, then starts following changes.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RelistAsync(cancellationToken);
        _watching = Task.Run(() => FollowAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>The object, or null.</summary>
    public JsonObject? Get(KindDefinition kind, string? ns, string name)
    {
        lock (_lock)
        {
            return Table(kind).GetValueOrDefault(ObjectKeys.Key(kind, ns, name))?.Parse();
        }
    }

    /// <summary>Every object of <paramref name="kind"/> (a snapshot).</summary>
    public List<JsonObject> List(KindDefinition kind)
    {
        lock (_lock)
        {
            return [.. Table(kind).Values.Select(static o => o.Parse())];
        }
    }

    /// <summary>Objects of <paramref name="kind"/> in namespace <paramref name="ns"/>.</summary>
    public List<JsonObject> List(KindDefinition kind, string ns)
    {
        var prefix = ObjectKeys.Prefix(kind, ns);
        lock (_lock)
        {
            return [.. Table(kind).Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(static e => e.Value.Parse())];
        }
    }

    /// <summary>Objects of <paramref name="kind"/> whose ownerReferences name <paramref name="ownerUid"/>.</summary>
    public List<JsonObject> OwnedBy(KindDefinition kind, string ownerUid)
    {
        lock (_lock)
        {
            if (!_dependents.TryGetValue(ownerUid, out var keys))
            {
                return [];
            }

            var objects = Table(kind);
            return [.. keys.Select(k => objects.GetValueOrDefault(k)?.Parse()).OfType<JsonObject>()];
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

            var pods = Table(Kube.Kinds.PodSchemas.Pod);
            return [.. keys.Select(k => pods.GetValueOrDefault(k)?.Parse()).OfType<JsonObject>()];
        }
    }

    /// <summary>The metadata of the object stored at <paramref name="key"/>, or null.</summary>
    public ObjectMeta? MetaOf(string key)
    {
        lock (_lock)
        {
            return _meta.GetValueOrDefault(key);
        }
    }

    /// <summary>The metadata of the object with <paramref name="uid"/>, or null.</summary>
    public ObjectMeta? MetaByUid(string uid)
    {
        lock (_lock)
        {
            return _keyByUid.TryGetValue(uid, out var key) ? _meta.GetValueOrDefault(key) : null;
        }
    }

    /// <summary>The metadata of every object whose ownerReferences name <paramref name="ownerUid"/>, of any kind.</summary>
    public List<ObjectMeta> DependentsOf(string ownerUid)
    {
        lock (_lock)
        {
            return _dependents.TryGetValue(ownerUid, out var keys) ? [.. keys.Select(k => _meta.GetValueOrDefault(k)).OfType<ObjectMeta>()] : [];
        }
    }

    /// <summary>The metadata of every object in namespace <paramref name="ns"/>, of any kind.</summary>
    public List<ObjectMeta> InNamespace(string ns)
    {
        lock (_lock)
        {
            return _keysByNamespace.TryGetValue(ns, out var keys) ? [.. keys.Select(k => _meta.GetValueOrDefault(k)).OfType<ObjectMeta>()] : [];
        }
    }

    /// <summary>Applies an object this process just wrote, unless the cache already holds that version or a newer one.</summary>
    public void Observe(KindDefinition kind, JsonObject written)
    {
        var metadata = written.Metadata();
        var key = ObjectKeys.Key(kind, kind.Namespaced ? metadata.GetString("namespace") : null, metadata.GetString("name")!);
        Apply(key, written, Rv(written));
    }

    /// <summary>Forgets an object this process just deleted (at <paramref name="revision"/>).</summary>
    public void ObserveDeleted(KindDefinition kind, string? ns, string name, long revision) => Apply(ObjectKeys.Key(kind, kind.Namespaced ? ns : null, name), null, revision);

    /// <summary>Forgets the object at <paramref name="key"/>, deleted by this process at <paramref name="revision"/>.</summary>
    public void ObserveDeleted(string key, long revision) => Apply(key, null, revision);

    /// <summary>Applies the object at <paramref name="key"/> this process just wrote, at <paramref name="revision"/>.</summary>
    public void Observe(string key, JsonObject written, long revision) => Apply(key, written, revision);

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
        // One consistent snapshot of every key: the pages of one list all read the first page's revision.
        var fresh = new Dictionary<string, (ReadOnlyMemory<byte> Value, long Revision)>(StringComparer.Ordinal);
        long revision = 0;
        await foreach (var page in _objects.Store.PagesAsync(Cluster, "/", ListPageSize, cancellationToken))
        {
            revision = page.Revision;
            foreach (var item in page.Items)
            {
                fresh[item.Key] = (item.Value, item.ModRevision);
            }
        }

        List<string> gone;
        lock (_lock)
        {
            gone = [.. _meta.Keys.Where(k => !fresh.ContainsKey(k))];
        }

        foreach (var (key, (value, rv)) in fresh)
        {
            ApplyStored(key, value, deleted: false, rv);
        }

        foreach (var key in gone)
        {
            Apply(key, null, revision, force: true);
        }

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
                    ApplyStored(change.Key, change.Type == Store.WatchEventType.Deleted ? default : change.Value, change.Type == Store.WatchEventType.Deleted, change.Revision);
                    AdvanceTo(change.Revision);
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

    /// <summary>
    /// Sets the object at <paramref name="key"/> (null: gone) as of <paramref name="revision"/>, unless the cache holds
    /// that version or a newer one already (our own write may arrive before its watch event).
    /// </summary>
    private void Apply(string key, JsonObject? value, long revision, bool force = false, byte[]? utf8 = null) => Apply(key, value, value is null ? null : ObjectMeta.From(key, revision, value), revision, force, utf8);

    /// <param name="key">The object's store key.</param>
    /// <param name="value">The object, or null when it is gone.</param>
    /// <param name="parsed">Its metadata.</param>
    /// <param name="revision">The revision of this version.</param>
    /// <param name="force">Apply even if the cache holds this revision or a newer one (a relist).</param>
    /// <param name="utf8">The object's stored text when it came from the store (kept as is instead of serialized again).</param>
    private void Apply(string key, JsonObject? value, ObjectMeta? parsed, long revision, bool force, byte[]? utf8 = null)
    {
        ObjectChange? change = null;
        ObjectMeta? oldMeta;
        ObjectMeta? newMeta;
        lock (_lock)
        {
            oldMeta = _meta.GetValueOrDefault(key);
            if (!force && oldMeta is not null && oldMeta.Revision >= revision)
            {
                return;
            }

            newMeta = parsed;
            if (oldMeta is null && newMeta is null)
            {
                return;
            }

            SetMetaLocked(key, oldMeta, newMeta);
            var prefix = ObjectMeta.KindPrefixOf(key);
            if (_byKind.TryGetValue(prefix, out var table))
            {
                var old = table.GetValueOrDefault(key)?.Parse();
                if (old is not null && IsPodsPrefix(prefix))
                {
                    UnindexPod(key, old);
                }

                if (value is null || newMeta is null)
                {
                    // Gone, or (never written so) not an object.
                    table.Remove(key);
                }
                else
                {
                    table[key] = new CachedObject(utf8 ?? System.Text.Encoding.UTF8.GetBytes(value.ToJsonString()), revision);
                    if (IsPodsPrefix(prefix))
                    {
                        IndexPod(key, value);
                    }
                }

                if (old is not null || (value is not null && newMeta is not null))
                {
                    change = new ObjectChange(_kindsByPrefix[prefix], old, newMeta is null ? null : value);
                }
            }
        }

        Publish(change, oldMeta, newMeta);
    }

    /// <summary>Applies a stored value: parsed in full for the watched kinds, only its metadata for the others.</summary>
    private void ApplyStored(string key, ReadOnlyMemory<byte> value, bool deleted, long revision)
    {
        if (deleted)
        {
            Apply(key, null, null, revision, force: false);
            return;
        }

        if (_byKind.ContainsKey(ObjectMeta.KindPrefixOf(key)))
        {
            Apply(key, ObjectJsonOrNull(value.Span, revision), revision, utf8: value.ToArray());
            return;
        }

        Apply(key, null, ObjectMeta.Parse(key, revision, value.Span), revision, force: false);
    }

    private void SetMetaLocked(string key, ObjectMeta? old, ObjectMeta? value)
    {
        if (old is not null)
        {
            if (old.Uid is { } uid && _keyByUid.GetValueOrDefault(uid) == key)
            {
                _keyByUid.Remove(uid);
            }

            foreach (var owner in old.Owners)
            {
                RemoveFromIndex(_dependents, owner.Uid, key);
            }

            if (old.Namespace is { } ns)
            {
                RemoveFromIndex(_keysByNamespace, ns, key);
            }
        }

        if (value is null)
        {
            _meta.Remove(key);
            return;
        }

        _meta[key] = value;
        if (value.Uid is { } newUid)
        {
            _keyByUid[newUid] = key;
        }

        foreach (var owner in value.Owners)
        {
            AddToIndex(_dependents, owner.Uid, key);
        }

        if (value.Namespace is { } newNs)
        {
            AddToIndex(_keysByNamespace, newNs, key);
        }
    }

    private void IndexPod(string key, JsonObject pod)
    {
        if (NodeOf(pod) is { } node)
        {
            AddToIndex(_podsByNode, node, key);
        }
    }

    private void UnindexPod(string key, JsonObject pod)
    {
        if (NodeOf(pod) is { } node)
        {
            RemoveFromIndex(_podsByNode, node, key);
        }
    }

    private static void AddToIndex(Dictionary<string, HashSet<string>> index, string value, string key)
    {
        if (!index.TryGetValue(value, out var keys))
        {
            index[value] = keys = new HashSet<string>(StringComparer.Ordinal);
        }

        keys.Add(key);
    }

    private static void RemoveFromIndex(Dictionary<string, HashSet<string>> index, string value, string key)
    {
        if (index.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
        {
            index.Remove(value);
        }
    }

    private void Publish(ObjectChange? change, ObjectMeta? oldMeta, ObjectMeta? newMeta)
    {
        Action<ObjectChange>[] subscribers;
        Action<ObjectMeta?, ObjectMeta?>[] metaSubscribers;
        lock (_lock)
        {
            subscribers = change is null ? [] : [.. _subscribers];
            metaSubscribers = [.. _metaSubscribers];
        }

        foreach (var subscriber in metaSubscribers)
        {
            subscriber(oldMeta, newMeta);
        }

        if (change is not null)
        {
            foreach (var subscriber in subscribers)
            {
                subscriber(change);
            }
        }
    }

    private Dictionary<string, CachedObject> Table(KindDefinition kind) => _byKind[ObjectKeys.Prefix(kind, null)];

    private static bool IsPodsPrefix(string prefix) => prefix == "/core/pods/";

    private static JsonObject? ObjectJsonOrNull(ReadOnlySpan<byte> value, long revision)
    {
        try
        {
            return ObjectJson.FromStored(value, revision);
        }
        catch (Exception error) when (error is System.Text.Json.JsonException or InvalidDataException or InvalidOperationException)
        {
            // A key that does not hold an object (none are written so) is not the controllers' business.
            return null;
        }
    }

    /// <summary>The node a pod is bound to, or null.</summary>
    public static string? NodeOf(JsonObject pod) => (pod["spec"] as JsonObject)?.GetString("nodeName") is { Length: > 0 } node ? node : null;

    private static long Rv(JsonObject obj) =>
        long.TryParse(obj.Metadata().GetString("resourceVersion"), NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : 0;

    [LoggerMessage(Level = LogLevel.Information, Message = "controller cache of cluster {Cluster} lists again: {Reason}")]
    private static partial void LogRelist(ILogger logger, string cluster, string reason);

    /// <summary>A cached object: its JSON text and the revision it was read or written at (its resourceVersion).</summary>
    private sealed record CachedObject(byte[] Utf8, long Revision)
    {
        /// <summary>A new JsonObject of it, the caller's own to read or change.</summary>
        public JsonObject Parse() => ObjectJson.FromStored(Utf8, Revision);
    }
}
