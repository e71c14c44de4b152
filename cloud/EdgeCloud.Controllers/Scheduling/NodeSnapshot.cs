using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Scheduling;

/// <summary>
/// What the scheduler needs of a Node, parsed once from its core/v1 JSON (<see cref="FromNode"/>) so that
/// scheduling never touches JSON: name, labels, taints, allocatable resources, the Ready condition, whether it is
/// cordoned, and its zone. Immutable.
/// </summary>
public sealed class NodeSnapshot
{
    /// <summary>The well-known label naming a node's host (kubelet sets it to the node's hostname).</summary>
    public const string HostnameLabel = "kubernetes.io/hostname";

    /// <summary>The well-known label naming a node's zone.</summary>
    public const string ZoneLabel = "topology.kubernetes.io/zone";

    private static readonly Dictionary<string, string> NoLabels = new(StringComparer.Ordinal);

    private readonly Dictionary<string, string> _labels;

    private NodeSnapshot(string name, Dictionary<string, string> labels, Taint[] taints, Taint[] schedulingTaints,
        ResourceAmounts allocatable, NodeReadyStatus ready, bool unschedulable)
    {
        Name = name;
        _labels = labels;
        Taints = taints;
        SchedulingTaintArray = schedulingTaints;
        Allocatable = allocatable;
        Ready = ready;
        Unschedulable = unschedulable;
        Zone = labels.GetValueOrDefault(ZoneLabel);
        Hostname = labels.GetValueOrDefault(HostnameLabel) ?? name;
    }

    /// <summary>metadata.name.</summary>
    public string Name { get; }

    /// <summary>metadata.labels.</summary>
    public IReadOnlyDictionary<string, string> Labels => _labels;

    /// <summary>spec.taints, as on the node.</summary>
    public IReadOnlyList<Taint> Taints { get; }

    /// <summary>
    /// The taints the scheduler applies: <see cref="Taints"/>, plus <c>node.kubernetes.io/not-ready:NoSchedule</c>
    /// when Ready is False and <c>node.kubernetes.io/unreachable:NoSchedule</c> when it is Unknown, unless the node
    /// already carries it (the node lifecycle controller adds these taints; a node is treated as if it had them
    /// before the controller gets there).
    /// </summary>
    public IReadOnlyList<Taint> SchedulingTaints => SchedulingTaintArray;

    /// <summary>status.allocatable (status.capacity when no allocatable is reported).</summary>
    public ResourceAmounts Allocatable { get; }

    /// <summary>The status of the Ready condition; <see cref="NodeReadyStatus.Unknown"/> when there is none.</summary>
    public NodeReadyStatus Ready { get; }

    /// <summary>spec.unschedulable: the node is cordoned.</summary>
    public bool Unschedulable { get; }

    /// <summary>The <c>topology.kubernetes.io/zone</c> label, or null.</summary>
    public string? Zone { get; }

    /// <summary>The <c>kubernetes.io/hostname</c> label, or the node's name when it has none.</summary>
    public string Hostname { get; }

    internal Taint[] SchedulingTaintArray { get; }

    /// <summary>
    /// The node's value for a topology key: its label, except that <c>kubernetes.io/hostname</c> falls back to the
    /// node's name (every kubelet sets that label; an agent that forgot should not turn off spreading). Null when absent.
    /// </summary>
    public string? TopologyValue(string key) =>
        key switch
        {
            HostnameLabel => Hostname,
            ZoneLabel => Zone,
            _ => _labels.TryGetValue(key, out var value) ? value : null,
        };

    /// <summary>Parses a core/v1 Node.</summary>
    /// <exception cref="FormatException">The node has no name, or a resource quantity or taint is malformed.</exception>
    public static NodeSnapshot FromNode(JsonObject node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var metadata = node["metadata"] as JsonObject;
        var name = metadata?.GetString("name") is { Length: > 0 } n ? n : throw new FormatException("node has no metadata.name");
        var labels = StringMap(metadata?["labels"] as JsonObject);
        var spec = node["spec"] as JsonObject;
        var status = node["status"] as JsonObject;

        var taints = new List<Taint>();
        if (spec?["taints"] is JsonArray taintArray)
        {
            foreach (var item in taintArray)
            {
                if (item is not JsonObject taint || taint.GetString("key") is not { Length: > 0 } key)
                {
                    throw new FormatException($"node {name}: a taint has no key");
                }

                taints.Add(new Taint(key, taint.GetString("value") ?? "", taint.GetString("effect") ?? ""));
            }
        }

        var ready = NodeReadyStatus.Unknown;
        if (status?["conditions"] is JsonArray conditions)
        {
            foreach (var item in conditions)
            {
                if (item is JsonObject condition && condition.GetString("type") == "Ready")
                {
                    ready = condition.GetString("status") switch
                    {
                        "True" => NodeReadyStatus.True,
                        "False" => NodeReadyStatus.False,
                        _ => NodeReadyStatus.Unknown,
                    };
                }
            }
        }

        var schedulingTaints = new List<Taint>(taints);
        var readyTaintKey = ready switch
        {
            NodeReadyStatus.False => Taint.NotReadyKey,
            NodeReadyStatus.Unknown => Taint.UnreachableKey,
            _ => null,
        };
        if (readyTaintKey is not null && !taints.Exists(t => t.Key == readyTaintKey && t.Effect == Taint.NoSchedule))
        {
            schedulingTaints.Add(new Taint(readyTaintKey, "", Taint.NoSchedule));
        }

        var resources = status?["allocatable"] as JsonObject ?? status?["capacity"] as JsonObject;
        var tally = new ResourceTally();
        long pods = 0;
        try
        {
            tally.AddList(resources);
            if (resources?["pods"] is { } podsNode)
            {
                pods = ResourceTally.Quantity(ResourceNames.Pods, podsNode).ToValue();
            }
        }
        catch (FormatException e)
        {
            throw new FormatException($"node {name}: {e.Message}", e);
        }

        var unschedulable = spec?["unschedulable"] is JsonValue u && u.GetValueKind() == JsonValueKind.True;
        return new NodeSnapshot(name, labels, [.. taints], [.. schedulingTaints], tally.ToAmounts(pods), ready, unschedulable);
    }

    internal static Dictionary<string, string> StringMap(JsonObject? map)
    {
        if (map is null || map.Count == 0)
        {
            return NoLabels;
        }

        var result = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            result[key] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? "";
        }

        return result;
    }
}
