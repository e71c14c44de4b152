using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Store;

namespace EdgeCloud.Kube.Storage;

/// <summary>
/// Kubernetes objects over the revisioned store: the generic part of kube-apiserver's registry. It owns what every
/// kind shares (keys, resourceVersion, uid, creationTimestamp, generateName, optimistic concurrency, list at one
/// revision, watch translation); kind-specific rules (spec/status split, validation, defaults) are the caller's.
/// </summary>
public sealed class ResourceStore(IRevisionedStore store, TimeProvider time, ICreateQuota? quota = null)
{
    private const int GenerateNameAttempts = 8;
    private const int PageReadSize = 500;

    /// <summary>The underlying store.</summary>
    public IRevisionedStore Store => store;

    /// <summary>The object, or 404.</summary>
    public async Task<JsonObject> GetAsync(string cluster, KindDefinition kind, string? ns, string name, CancellationToken cancellationToken)
    {
        return await TryGetAsync(cluster, kind, ns, name, cancellationToken) ?? throw KubeApiException.NotFound(kind.Group, kind.Plural, name);
    }

    /// <summary>The object, or null when it does not exist.</summary>
    public async Task<JsonObject?> TryGetAsync(string cluster, KindDefinition kind, string? ns, string name, CancellationToken cancellationToken)
    {
        var got = await store.GetAsync(cluster, ObjectKeys.Key(kind, ns, name), cancellationToken);
        return got.Item is { } item ? ObjectJson.FromStored(item.Value.Span, item.ModRevision) : null;
    }

    /// <summary>
    /// Stores a new object, setting uid, creationTimestamp, generation and resourceVersion, and a name from
    /// metadata.generateName when no name is given. 409 AlreadyExists when the name is taken.
    /// With <paramref name="dryRun"/> nothing is written and the object is returned as it would have been stored.
    /// A kind with a <see cref="KindDefinition.TimeToLive"/> (Events) expires that long after this write.
    /// </summary>
    public async Task<JsonObject> CreateAsync(string cluster, KindDefinition kind, string? ns, JsonObject obj, bool dryRun, CancellationToken cancellationToken)
    {
        if (quota is not null)
        {
            await quota.CheckAsync(cluster, kind, ns, cancellationToken);
        }

        var metadata = obj.Metadata();
        var generateName = metadata.GetString("generateName");
        var named = !string.IsNullOrEmpty(metadata.GetString("name"));
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Timestamp(time.GetUtcNow());
        if (kind.HasStatus)
        {
            // Kinds with a spec/status split track spec changes in generation (observedGeneration follows it).
            metadata["generation"] = 1;
        }

        metadata.Remove("resourceVersion");
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        for (var attempt = 1; ; attempt++)
        {
            if (!named)
            {
                metadata["name"] = generateName + RandomSuffix();
            }

            var name = metadata.GetString("name")!;
            var key = ObjectKeys.Key(kind, ns, name);

            // Defaults that need the uid and the final name (a Job's generated selector) come now, on a copy so that
            // a retry with another generated name starts afresh.
            var candidate = obj;
            if (kind.CreateAdmission is { } admit)
            {
                candidate = obj.DeepClone().AsObject();
                admit(candidate);
            }

            if (dryRun)
            {
                if ((await store.GetAsync(cluster, key, cancellationToken)).Item is not null)
                {
                    throw KubeApiException.AlreadyExists(kind.Group, kind.Plural, name);
                }

                return candidate;
            }

            var written = await store.CreateAsync(cluster, key, ObjectJson.ToStored(candidate), kind.TimeToLive, cancellationToken);
            switch (written.Status)
            {
                case WriteStatus.Applied:
                    candidate.Metadata()["resourceVersion"] = Rv(written.Revision);
                    return candidate;
                case WriteStatus.AlreadyExists when !named && attempt < GenerateNameAttempts:
                    continue;
                case WriteStatus.AlreadyExists:
                    throw KubeApiException.AlreadyExists(kind.Group, kind.Plural, name);
                default:
                    throw new InvalidOperationException($"create of {key} returned {written.Status}");
            }
        }
    }

    /// <summary>
    /// Read-modify-write with optimistic concurrency: <paramref name="update"/> gets the current object and returns
    /// the new one (or throws, e.g. 409 when the caller's resourceVersion is stale). When another writer wins the
    /// race, the current object is read again and <paramref name="update"/> runs again. An update that changes
    /// nothing is not written (the resourceVersion stays), as kube-apiserver does.
    /// </summary>
    public async Task<(JsonObject Object, bool Changed)> UpdateAsync(
        string cluster, KindDefinition kind, string? ns, string name, Func<JsonObject, JsonObject> update, bool dryRun, CancellationToken cancellationToken)
    {
        var key = ObjectKeys.Key(kind, ns, name);
        while (true)
        {
            var current = (await store.GetAsync(cluster, key, cancellationToken)).Item ?? throw KubeApiException.NotFound(kind.Group, kind.Plural, name);
            var currentObject = ObjectJson.FromStored(current.Value.Span, current.ModRevision);
            var updated = update(currentObject.DeepClone().AsObject());
            var stored = ObjectJson.ToStored(updated);
            if (stored.AsSpan().SequenceEqual(current.Value.Span))
            {
                return (currentObject, false);
            }

            if (dryRun)
            {
                return (updated, true);
            }

            // Each write starts the kind's time to live again (an updated Event lives an hour from its update).
            var written = await store.UpdateAsync(cluster, key, stored, current.ModRevision, kind.TimeToLive, cancellationToken);
            switch (written.Status)
            {
                case WriteStatus.Applied:
                    updated.Metadata()["resourceVersion"] = Rv(written.Revision);
                    return (updated, true);
                case WriteStatus.Conflict:
                case WriteStatus.NotFound:
                    continue;
                default:
                    throw new InvalidOperationException($"update of {key} returned {written.Status}");
            }
        }
    }

    /// <summary>Removes the object if it is still at <paramref name="modRevision"/>; false when it changed or went meanwhile.</summary>
    public async Task<(bool Deleted, long Revision)> DeleteAtAsync(string cluster, KindDefinition kind, string? ns, string name, long modRevision, CancellationToken cancellationToken)
    {
        var written = await store.DeleteAsync(cluster, ObjectKeys.Key(kind, ns, name), modRevision, cancellationToken);
        return (written.Status == WriteStatus.Applied, written.Revision);
    }

    /// <summary>
    /// One page of the kind's objects in <paramref name="ns"/> (all namespaces when null) that pass
    /// <paramref name="filter"/>, at one revision: the latest, or <paramref name="revision"/> when given, or the
    /// one <paramref name="continueToken"/> carries. Keeps reading until <paramref name="limit"/> matching objects
    /// are found, as kube-apiserver does with selectors.
    /// </summary>
    public async Task<ObjectList> ListAsync(
        string cluster, KindDefinition kind, string? ns, int limit, string? continueToken, long revision, Func<JsonObject, bool> filter, CancellationToken cancellationToken)
    {
        var items = new List<JsonObject>();
        var prefix = ObjectKeys.Prefix(kind, ns);
        var token = continueToken;
        long listRevision = 0;
        while (true)
        {
            var want = limit <= 0 ? PageReadSize : Math.Max(limit - items.Count, 1);
            ListResult page;
            try
            {
                page = await store.ListAsync(cluster, new ListRequest { Prefix = prefix, Limit = Math.Min(want, PageReadSize), Revision = token is null ? revision : 0, Continue = token }, cancellationToken);
            }
            catch (RevisionCompactedException ex)
            {
                throw continueToken is not null
                    ? KubeApiException.Expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.")
                    : KubeApiException.Expired($"The resourceVersion for the provided list is too old. (requested {ex.RequestedRevision}, compacted to {ex.CompactRevision})");
            }
            catch (InvalidStoreRequestException ex) when (ex.Parameter == "continue")
            {
                throw KubeApiException.BadRequest($"invalid continue token: {ex.Message}");
            }
            catch (FutureRevisionException)
            {
                throw new KubeApiException(504, "Timeout", $"Too large resource version: {revision}, current: {await store.GetRevisionAsync(cluster, cancellationToken)}")
                {
                    RetryAfterSeconds = 1,
                };
            }

            listRevision = page.Revision;
            foreach (var item in page.Items)
            {
                var obj = ObjectJson.FromStored(item.Value.Span, item.ModRevision);
                if (filter(obj))
                {
                    items.Add(obj);
                }
            }

            token = page.Continue;
            if (token is null || (limit > 0 && items.Count >= limit))
            {
                return new ObjectList(items, listRevision, token);
            }
        }
    }

    /// <summary>
    /// Events of the kind's objects in <paramref name="ns"/> after <paramref name="afterRevision"/>, translated to
    /// Kubernetes watch events through <paramref name="filter"/>: an object that starts matching is ADDED, one that
    /// stops matching is DELETED, as kube-apiserver reports selector transitions. 410 when the revision is compacted.
    /// </summary>
    public async IAsyncEnumerable<ObjectEvent> WatchAsync(
        string cluster, KindDefinition kind, string? ns, long afterRevision, Func<JsonObject, bool> filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        StoreWatch watch;
        try
        {
            watch = await store.WatchAsync(cluster, ObjectKeys.Prefix(kind, ns), afterRevision, cancellationToken);
        }
        catch (RevisionCompactedException ex)
        {
            throw KubeApiException.Expired($"too old resource version: {ex.RequestedRevision} ({ex.CompactRevision})");
        }

        await using (watch)
        {
            await foreach (var change in watch.ReadAllAsync(cancellationToken))
            {
                if (Translate(change, filter) is { } translated)
                {
                    yield return translated;
                }
            }
        }
    }

    private static ObjectEvent? Translate(WatchEvent change, Func<JsonObject, bool> filter)
    {
        var current = change.Type == WatchEventType.Deleted ? null : ObjectJson.FromStored(change.Value.Span, change.Revision);
        var previous = change.Type == WatchEventType.Created ? null : ObjectJson.FromStored(change.PrevValue.Span, change.Revision);
        var isMatch = current is not null && filter(current);
        var wasMatch = previous is not null && filter(previous);
        return (wasMatch, isMatch) switch
        {
            (true, true) => new ObjectEvent(KubeWatchEventTypes.Modified, current!, change.Revision),
            (false, true) => new ObjectEvent(KubeWatchEventTypes.Added, current!, change.Revision),
            // The object as it last matched, at the revision where it stopped matching (or went).
            (true, false) => new ObjectEvent(KubeWatchEventTypes.Deleted, current ?? previous!, change.Revision),
            _ => null,
        };
    }

    /// <summary>metav1.Time: RFC 3339 in UTC with second precision.</summary>
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Rv(long revision) => revision.ToString(CultureInfo.InvariantCulture);

    // Upstream's alphabet for generated names: no vowels (no words) and no look-alike characters.
    private static string RandomSuffix() => RandomNumberGenerator.GetString("bcdfghjklmnpqrstvwxz2456789", 5);
}
