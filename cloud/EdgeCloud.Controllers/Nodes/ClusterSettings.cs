using System.Text.Json.Nodes;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Nodes;

/// <summary>
/// A cluster's own controller settings, from the ConfigMap kube-system/edgecloud-controllers, so that each tenant
/// chooses for its fleet; a key that is absent (or the whole ConfigMap) falls back to the server's default.
/// Keys: <c>evict-unreachable-pods</c> ("true" or "false"): whether pods of an unreachable node are evicted.
/// The ConfigMap is read again whenever it changes (seen through the cache's metadata), and <c>changed</c> runs.
/// </summary>
public sealed class ClusterSettings
{
    /// <summary>The ConfigMap's name in kube-system.</summary>
    public const string ConfigMapName = "edgecloud-controllers";

    /// <summary>The key of the eviction setting.</summary>
    public const string EvictUnreachablePodsKey = "evict-unreachable-pods";

    private readonly ClusterContext _context;
    private readonly Action _changed;
    private readonly Events.EventRecorder _events;
    // -1: not set (server default), 0: false, 1: true.
    private volatile int _evict = -1;

    /// <summary>Settings of <paramref name="context"/>'s cluster; <paramref name="changed"/> runs after each change is read.</summary>
    public ClusterSettings(ClusterContext context, Action changed)
    {
        _context = context;
        _changed = changed;
        _events = new Events.EventRecorder(context, "node-controller");
        var key = ObjectKeys.Key(ConfigMapKind.Definition, "kube-system", ConfigMapName);
        context.Cache.SubscribeMetadata((old, current) =>
        {
            if ((current ?? old)!.Key == key)
            {
                _ = ReloadAsync();
            }
        });
    }

    /// <summary>Whether pods of unreachable nodes are evicted in this cluster.</summary>
    public bool EvictPodsFromUnreachableNodes => _evict switch
    {
        1 => true,
        0 => false,
        _ => _context.Options.EvictPodsFromUnreachableNodes,
    };

    /// <summary>Reads the settings once at start (and calls back, so that what was decided before counts them).</summary>
    public void Load() => _ = ReloadAsync();

    private async Task ReloadAsync()
    {
        try
        {
            var map = await _context.Objects.TryGetAsync(_context.Cluster, ConfigMapKind.Definition, "kube-system", ConfigMapName, _context.Stopping);
            var value = (map?["data"] as JsonObject)?.GetString(EvictUnreachablePodsKey);
            _evict = value switch
            {
                "true" => 1,
                "false" => 0,
                _ => -1,
            };
            if (map is not null && value is not (null or "true" or "false"))
            {
                // Said where the user looks (kubectl describe configmap), rather than silently ignored.
                await _events.WarningAsync(ConfigMapKind.Definition, map, "InvalidSetting",
                    $"{EvictUnreachablePodsKey}: \"{value}\" is neither \"true\" nor \"false\"; the server's default ({(_context.Options.EvictPodsFromUnreachableNodes ? "true" : "false")}) applies");
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        _changed();
    }
}
