using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Workloads.DaemonSets;

/// <summary>
/// The pods of a daemon set: how one is built for a node, which node a pod is for, and whether it runs the current
/// template.
/// </summary>
public static class DaemonSetPods
{
    /// <summary>The label naming the ControllerRevision (template hash) a daemon pod was made from.</summary>
    public const string ControllerRevisionHashLabel = "controller-revision-hash";

    /// <summary>The label carrying the daemon set's generation when the pod was made (kept for old clients).</summary>
    public const string TemplateGenerationLabel = "pod-template-generation";

    // The field a node affinity matchFields term may name; the only one upstream allows.
    private const string NodeNameField = "metadata.name";

    /// <summary>
    /// The pod that runs <paramref name="daemonSet"/>'s template on <paramref name="nodeName"/>, labelled with
    /// <paramref name="hash"/>. Like upstream, the pod names its node through a required node affinity on
    /// metadata.name (so the scheduler binds it and still checks resources), and it tolerates the taints a daemon
    /// must survive: an unreachable or not-ready node keeps its daemons, and node pressure does not stop them.
    /// </summary>
    public static JsonObject Build(JsonObject daemonSet, string nodeName, string hash)
    {
        ArgumentNullException.ThrowIfNull(daemonSet);
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        var template = daemonSet["spec"]?["template"] as JsonObject ?? throw new ArgumentException("the daemon set has no spec.template", nameof(daemonSet));
        var pod = PodFromTemplate.Build(template, DaemonSetKind.Definition, daemonSet, daemonSet.Metadata().GetString("name") + "-");
        var labels = pod.Metadata()["labels"] as JsonObject ?? [];
        pod.Metadata()["labels"] = labels;
        labels[ControllerRevisionHashLabel] = hash;
        if (Generation(daemonSet) is { } generation)
        {
            labels[TemplateGenerationLabel] = generation.ToString(CultureInfo.InvariantCulture);
        }

        var spec = pod["spec"]!.AsObject();
        RequireNode(spec, nodeName);
        AddDaemonTolerations(spec);
        return pod;
    }

    /// <summary>
    /// The node <paramref name="pod"/> runs on or is meant for: spec.nodeName once bound, else the node its
    /// required node affinity names by metadata.name; null when neither says.
    /// </summary>
    public static string? TargetNode(JsonObject pod)
    {
        if ((pod["spec"] as JsonObject)?.GetString("nodeName") is { Length: > 0 } bound)
        {
            return bound;
        }

        if (pod["spec"]?["affinity"]?["nodeAffinity"]?["requiredDuringSchedulingIgnoredDuringExecution"]?["nodeSelectorTerms"] is not JsonArray terms)
        {
            return null;
        }

        foreach (var term in terms)
        {
            if (term?["matchFields"] is not JsonArray fields)
            {
                continue;
            }

            foreach (var field in fields)
            {
                if (field is JsonObject f && f.GetString("key") == NodeNameField && f.GetString("operator") == "In"
                    && f["values"] is JsonArray { Count: 1 } values && values[0] is JsonValue v && v.TryGetValue<string>(out var name))
                {
                    return name;
                }
            }
        }

        return null;
    }

    /// <summary><paramref name="pod"/> was made from the template whose hash is <paramref name="hash"/>.</summary>
    public static bool IsUpdated(JsonObject pod, string hash) =>
        (pod.Metadata()["labels"] as JsonObject)?.GetString(ControllerRevisionHashLabel) == hash;

    // ReplaceDaemonSetPodNodeNameNodeAffinity: the required terms become the one node; preferred terms and pod
    // (anti-)affinity stay as the template has them. The node already matched the template's own terms.
    private static void RequireNode(JsonObject spec, string nodeName)
    {
        var affinity = spec["affinity"] as JsonObject ?? [];
        spec["affinity"] = affinity;
        var nodeAffinity = affinity["nodeAffinity"] as JsonObject ?? [];
        affinity["nodeAffinity"] = nodeAffinity;
        nodeAffinity["requiredDuringSchedulingIgnoredDuringExecution"] = new JsonObject
        {
            ["nodeSelectorTerms"] = new JsonArray(new JsonObject
            {
                ["matchFields"] = new JsonArray(new JsonObject
                {
                    ["key"] = NodeNameField,
                    ["operator"] = "In",
                    ["values"] = new JsonArray(nodeName),
                }),
            }),
        };
    }

    // AddOrUpdateDaemonPodTolerations: without these, a daemon (log shipper, CNI, the fleet's site agent) would be
    // evicted from a node that merely lost its link, or refused on a node under pressure.
    private static void AddDaemonTolerations(JsonObject spec)
    {
        var tolerations = spec["tolerations"] as JsonArray ?? [];
        spec["tolerations"] = tolerations;
        Tolerate(tolerations, "node.kubernetes.io/not-ready", "NoExecute");
        Tolerate(tolerations, "node.kubernetes.io/unreachable", "NoExecute");
        Tolerate(tolerations, "node.kubernetes.io/disk-pressure", "NoSchedule");
        Tolerate(tolerations, "node.kubernetes.io/memory-pressure", "NoSchedule");
        Tolerate(tolerations, "node.kubernetes.io/pid-pressure", "NoSchedule");
        Tolerate(tolerations, "node.kubernetes.io/unschedulable", "NoSchedule");
        if (spec["hostNetwork"] is JsonValue hostNetwork && hostNetwork.TryGetValue<bool>(out var isHostNetwork) && isHostNetwork)
        {
            Tolerate(tolerations, "node.kubernetes.io/network-unavailable", "NoSchedule");
        }
    }

    // Adds an Exists toleration for key:effect, replacing one the template has for the same key and effect (so a
    // template's tolerationSeconds cannot make the daemon leave after all).
    private static void Tolerate(JsonArray tolerations, string key, string effect)
    {
        for (var i = tolerations.Count - 1; i >= 0; i--)
        {
            if (tolerations[i] is JsonObject t && t.GetString("key") == key && t.GetString("effect") == effect)
            {
                tolerations.RemoveAt(i);
            }
        }

        tolerations.Add(new JsonObject { ["key"] = key, ["operator"] = "Exists", ["effect"] = effect });
    }

    internal static long? Generation(JsonObject daemonSet) => Integer(daemonSet.Metadata()["generation"]);

    // A JSON integer whether the node was parsed (a JsonElement) or built in memory (an int or a long).
    internal static long? Integer(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
        && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : null;
}
