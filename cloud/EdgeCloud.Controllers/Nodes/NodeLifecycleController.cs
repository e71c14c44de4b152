using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Events;
using EdgeCloud.Controllers.Runtime;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Nodes;

/// <summary>
/// Node health from heartbeats, made for edge links that drop: a node renews its Lease in kube-node-lease; one
/// that has not for <see cref="ControllerOptions.NodeMonitorGracePeriod"/> gets Ready=Unknown ("Kubelet stopped
/// posting node status.") and the node.kubernetes.io/unreachable:NoSchedule taint, so nothing new lands on it.
/// Its pods are NOT evicted: they stay bound and keep running on the node while it is offline. Only with
/// <see cref="ControllerOptions.EvictPodsFromUnreachableNodes"/> does it also get the NoExecute taint, and pods
/// without a toleration for it go (those with tolerationSeconds after that long); a cluster can set this itself
/// (<see cref="ClusterSettings"/>). When renewals resume the node
/// is Ready again and the taints go. No polling: each node's next check is a deadline on the shared timer.
/// </summary>
public sealed class NodeLifecycleController : IClusterController
{
    /// <summary>The taint of a node whose heartbeats stopped.</summary>
    public const string UnreachableTaint = "node.kubernetes.io/unreachable";

    private const string Manager = "node-controller";
    private const string UnknownReason = "NodeStatusUnknown";
    private ClusterContext _context = null!;
    private WorkQueue<string> _nodes = null!;
    private WorkQueue<string> _evictions = null!;
    private EventRecorder _events = null!;
    private ClusterSettings _settings = null!;

    /// <inheritdoc />
    public IEnumerable<KindDefinition> Watches => [NodeKind.Definition, LeaseKind.Definition, PodSchemas.Pod];

    /// <inheritdoc />
    public void Attach(ClusterContext context)
    {
        _context = context;
        _events = new EventRecorder(context, Manager);
        _nodes = context.Queue("node-lifecycle", ReconcileNodeAsync);
        _evictions = context.Queue("node-eviction", EvictAsync);
        _settings = new ClusterSettings(context, () =>
        {
            // The eviction setting changed: every node's taints follow it.
            foreach (var node in context.Cache.List(NodeKind.Definition))
            {
                _nodes.Add(node.Metadata().GetString("name")!);
            }
        });
        context.Cache.Subscribe(change =>
        {
            if (change.Is(NodeKind.Definition))
            {
                _nodes.Add(change.Object.Metadata().GetString("name")!);
            }
            else if (change.Is(LeaseKind.Definition) && change.Object.Metadata().GetString("namespace") == "kube-node-lease")
            {
                _nodes.Add(change.Object.Metadata().GetString("name")!);
            }
        });
    }

    /// <inheritdoc />
    public void Synced()
    {
        _settings.Load();
        foreach (var node in _context.Cache.List(NodeKind.Definition))
        {
            _nodes.Add(node.Metadata().GetString("name")!);
        }
    }

    /// <summary>When the node last showed life: its Lease's renewTime, or its Ready condition's heartbeat, whichever is later.</summary>
    public static DateTimeOffset? LastHeartbeat(JsonObject node, JsonObject? lease)
    {
        DateTimeOffset? best = null;
        if ((lease?["spec"] as JsonObject)?.GetString("renewTime") is { } renew && TryTime(renew, out var renewed))
        {
            best = renewed;
        }

        if (ReadyCondition(node)?.GetString("lastHeartbeatTime") is { } beat && TryTime(beat, out var heartbeat) && (best is null || heartbeat > best))
        {
            best = heartbeat;
        }

        return best ?? (TryTime(node.Metadata().GetString("creationTimestamp"), out var created) ? created : null);
    }

    private async Task ReconcileNodeAsync(string name, CancellationToken cancellationToken)
    {
        var node = _context.Cache.Get(NodeKind.Definition, null, name);
        if (node is null)
        {
            return;
        }

        var lease = _context.Cache.Get(LeaseKind.Definition, "kube-node-lease", name);
        var now = _context.Time.GetUtcNow();
        var last = LastHeartbeat(node, lease) ?? now;
        var deadline = last + _context.Options.NodeMonitorGracePeriod;
        var silent = now >= deadline;
        if (!silent)
        {
            // Look again when the grace period would run out; a renewal before then queues a fresh look anyway.
            _nodes.AddAt(name, deadline);
        }

        var ready = ReadyCondition(node);
        var markedUnknown = ready?.GetString("status") == "Unknown" && ready.GetString("reason") == UnknownReason;
        var evict = _settings.EvictPodsFromUnreachableNodes;
        if (silent)
        {
            if (ready?.GetString("status") != "Unknown")
            {
                await MarkUnknownAsync(node, now, cancellationToken);
            }

            // Level-based: the taints follow the cluster's current eviction setting, whenever it changed.
            await SetTaintsAsync(name, evict ? ["NoSchedule", "NoExecute"] : ["NoSchedule"], now, cancellationToken);
            if (evict)
            {
                _evictions.Add(name);
            }

            return;
        }

        if (markedUnknown)
        {
            await MarkReachableAsync(node, now, cancellationToken);
        }

        await SetTaintsAsync(name, [], now, cancellationToken);
    }

    private async Task MarkUnknownAsync(JsonObject node, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var name = node.Metadata().GetString("name")!;
        var stamp = ResourceStore.Timestamp(now);
        var updated = await _context.Writer.UpdateAsync(_context.Cache, NodeKind.Definition, null, name, current =>
        {
            var conditions = ((current["status"] as JsonObject)?["conditions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            if (!conditions.Any(static c => c.GetString("type") == "Ready"))
            {
                conditions.Add(new JsonObject { ["type"] = "Ready" });
            }

            foreach (var condition in conditions)
            {
                if (condition.GetString("status") != "Unknown")
                {
                    condition["lastTransitionTime"] = stamp;
                }

                condition["status"] = "Unknown";
                condition["reason"] = UnknownReason;
                condition["message"] = "Kubelet stopped posting node status.";
            }

            var status = current["status"] as JsonObject ?? [];
            status["conditions"] = new JsonArray([.. conditions.Select(static c => (JsonNode)c.DeepClone())]);
            current["status"] = status;
            return current;
        }, Manager, cancellationToken, subresource: "status");
        if (updated is null)
        {
            return;
        }

        await _events.NormalAsync(NodeKind.Definition, updated, "NodeNotReady", $"Node {name} status is now: NodeNotReady");
    }

    private async Task MarkReachableAsync(JsonObject node, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var name = node.Metadata().GetString("name")!;
        {
            // The node renews its Lease again: the link is back. Its own agent reports anything else it knows.
            var stamp = ResourceStore.Timestamp(now);
            await _context.Writer.UpdateAsync(_context.Cache, NodeKind.Definition, null, name, current =>
            {
                if (ReadyCondition(current) is not { } ready || ready.GetString("reason") != UnknownReason)
                {
                    return null;
                }

                foreach (var condition in ((JsonArray)((JsonObject)current["status"]!)["conditions"]!).OfType<JsonObject>())
                {
                    var isReady = condition.GetString("type") == "Ready";
                    condition["status"] = isReady ? "True" : "False";
                    condition["reason"] = isReady ? "KubeletReady" : "KubeletHasNo" + condition.GetString("type");
                    condition["message"] = isReady ? "kubelet is posting ready status" : "node reports no such condition";
                    condition["lastTransitionTime"] = stamp;
                    condition["lastHeartbeatTime"] = stamp;
                }

                return current;
            }, Manager, cancellationToken, subresource: "status");
            await _events.NormalAsync(NodeKind.Definition, node, "NodeReady", $"Node {name} status is now: NodeReady");
        }
    }

    /// <summary>Makes the node's unreachable taints exactly <paramref name="effects"/> (keeping when each was added).</summary>
    private Task SetTaintsAsync(string name, string[] effects, DateTimeOffset now, CancellationToken cancellationToken) =>
        _context.Writer.UpdateAsync(_context.Cache, NodeKind.Definition, null, name, current =>
        {
            var spec = current["spec"] as JsonObject ?? [];
            var taints = (spec["taints"] as JsonArray)?.OfType<JsonObject>().Select(static t => (JsonObject)t.DeepClone()).ToList() ?? [];
            var before = taints.Where(static t => t.GetString("key") == UnreachableTaint).Select(static t => t.GetString("effect")).Order(StringComparer.Ordinal).ToList();
            if (before.SequenceEqual(effects.Order(StringComparer.Ordinal)))
            {
                return null;
            }

            taints.RemoveAll(t => t.GetString("key") == UnreachableTaint && !effects.Contains(t.GetString("effect")));
            foreach (var effect in effects.Where(e => !before.Contains(e)))
            {
                taints.Add(new JsonObject { ["key"] = UnreachableTaint, ["effect"] = effect, ["timeAdded"] = ResourceStore.Timestamp(now) });
            }

            if (taints.Count == 0)
            {
                spec.Remove("taints");
            }
            else
            {
                spec["taints"] = new JsonArray([.. taints]);
            }

            current["spec"] = spec;
            return current;
        }, Manager, cancellationToken);

    /// <summary>Opt-in eviction: pods on an unreachable node without a toleration for its NoExecute taint.</summary>
    private async Task EvictAsync(string node, CancellationToken cancellationToken)
    {
        var nodeObject = _context.Cache.Get(NodeKind.Definition, null, node);
        if (nodeObject is null || TaintAdded(nodeObject, UnreachableTaint, "NoExecute") is not { } since)
        {
            return;
        }

        var now = _context.Time.GetUtcNow();
        foreach (var pod in _context.Cache.PodsOn(node))
        {
            if (PodTolerationSeconds(pod) is { } seconds)
            {
                if (seconds == long.MaxValue)
                {
                    continue;
                }

                var at = since.AddSeconds(seconds);
                if (at > now)
                {
                    _evictions.AddAt(node, at);
                    continue;
                }
            }

            await _events.NormalAsync(PodSchemas.Pod, pod, "TaintManagerEviction", $"Marking for deletion Pod {pod.Metadata().GetString("namespace")}/{pod.Metadata().GetString("name")}");
            await _context.Writer.DeleteAsync(_context.Cache, PodSchemas.Pod, pod, cancellationToken);
        }
    }

    /// <summary>
    /// How long the pod tolerates the unreachable NoExecute taint: not at all (null), forever (long.MaxValue), or
    /// so many seconds.
    /// </summary>
    private static long? PodTolerationSeconds(JsonObject pod)
    {
        foreach (var toleration in ((pod["spec"] as JsonObject)?["tolerations"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var key = toleration.GetString("key");
            var op = toleration.GetString("operator") ?? "Equal";
            var effect = toleration.GetString("effect");
            var keyMatches = (string.IsNullOrEmpty(key) && op == "Exists") || key == UnreachableTaint;
            if (!keyMatches || (effect is { Length: > 0 } && effect != "NoExecute"))
            {
                continue;
            }

            return toleration["tolerationSeconds"] is JsonValue v && v.TryGetValue<long>(out var seconds) ? seconds : long.MaxValue;
        }

        return null;
    }

    private static DateTimeOffset? TaintAdded(JsonObject node, string key, string effect)
    {
        foreach (var taint in ((node["spec"] as JsonObject)?["taints"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (taint.GetString("key") == key && taint.GetString("effect") == effect)
            {
                return TryTime(taint.GetString("timeAdded"), out var added) ? added : DateTimeOffset.MinValue;
            }
        }

        return null;
    }

    private static bool HasTaint(JsonObject node, string key) =>
        ((node["spec"] as JsonObject)?["taints"] as JsonArray)?.OfType<JsonObject>().Any(t => t.GetString("key") == key) == true;

    private static JsonObject? ReadyCondition(JsonObject node) =>
        ((node["status"] as JsonObject)?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(static c => c.GetString("type") == "Ready");

    private static bool TryTime(string? text, out DateTimeOffset at) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);
}
