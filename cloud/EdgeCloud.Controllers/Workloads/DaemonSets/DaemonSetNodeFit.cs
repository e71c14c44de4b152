using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Workloads.DaemonSets;

/// <summary>
/// The standard answer to "does this daemon belong on this node" (upstream NodeShouldRunDaemonPod): the template's
/// spec.nodeName, nodeSelector and required node affinity must match the node, and its tolerations (with the ones
/// every daemon pod gets) must cover the node's NoSchedule and NoExecute taints. A pod already running stays on a
/// node that only gained an untolerated NoSchedule taint; an untolerated NoExecute taint, or labels that no longer
/// match, remove it.
/// </summary>
public static class DaemonSetNodeFit
{
    /// <summary>A fit function for <paramref name="daemonSet"/>, to pass to <see cref="DaemonSetPlanning.Plan"/>.</summary>
    public static Func<JsonObject, NodeFit> For(JsonObject daemonSet)
    {
        // Judge the pod the daemon set would create, so the daemon tolerations count as upstream counts them.
        var spec = DaemonSetPods.Build(daemonSet, "node", "hash")["spec"]!.AsObject();
        var templateNodeName = (daemonSet["spec"]?["template"]?["spec"] as JsonObject)?.GetString("nodeName");
        var tolerations = (spec["tolerations"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var affinity = (daemonSet["spec"]?["template"]?["spec"]?["affinity"]?["nodeAffinity"]?["requiredDuringSchedulingIgnoredDuringExecution"]) as JsonObject;
        var nodeSelector = (daemonSet["spec"]?["template"]?["spec"]?["nodeSelector"]) as JsonObject;
        return node => Evaluate(node, templateNodeName, nodeSelector, affinity, tolerations);
    }

    private static NodeFit Evaluate(JsonObject node, string? templateNodeName, JsonObject? nodeSelector, JsonObject? affinity, List<JsonObject> tolerations)
    {
        var name = node.Metadata().GetString("name") ?? "";
        var labels = node.Metadata()["labels"] as JsonObject;
        if ((!string.IsNullOrEmpty(templateNodeName) && templateNodeName != name)
            || !MatchesSelector(nodeSelector, labels)
            || (affinity is not null && !MatchesAffinity(affinity, name, labels)))
        {
            return NodeFit.DoesNotFit;
        }

        var taints = (node["spec"]?["taints"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var scheduleBlocked = taints.Any(t => t.GetString("effect") is "NoSchedule" or "NoExecute" && !Tolerated(t, tolerations));
        if (!scheduleBlocked)
        {
            return NodeFit.Fits;
        }

        var evicted = taints.Any(t => t.GetString("effect") == "NoExecute" && !Tolerated(t, tolerations));
        return new NodeFit(ShouldRun: false, ShouldContinueRunning: !evicted);
    }

    private static bool MatchesSelector(JsonObject? nodeSelector, JsonObject? labels)
    {
        if (nodeSelector is null)
        {
            return true;
        }

        foreach (var (key, value) in nodeSelector)
        {
            if (labels?.GetString(key) is not { } actual || actual != (value as JsonValue)?.ToString())
            {
                return false;
            }
        }

        return true;
    }

    // Terms are ORed; within a term every expression and field must hold; a term with neither matches nothing.
    private static bool MatchesAffinity(JsonObject required, string nodeName, JsonObject? labels)
    {
        if (required["nodeSelectorTerms"] is not JsonArray terms)
        {
            return true;
        }

        foreach (var term in terms.OfType<JsonObject>())
        {
            var expressions = (term["matchExpressions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            var fields = (term["matchFields"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            if (expressions.Count + fields.Count == 0)
            {
                continue;
            }

            if (expressions.All(e => Holds(e, labels?.GetString(e.GetString("key") ?? "")))
                && fields.All(f => f.GetString("key") == "metadata.name" && Holds(f, nodeName)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Holds(JsonObject requirement, string? actual)
    {
        var values = (requirement["values"] as JsonArray)?.Select(v => (v as JsonValue)?.ToString()).ToList() ?? [];
        return requirement.GetString("operator") switch
        {
            "In" => actual is not null && values.Contains(actual),
            "NotIn" => actual is null || !values.Contains(actual),
            "Exists" => actual is not null,
            "DoesNotExist" => actual is null,
            "Gt" => Compare(actual, values) is > 0,
            "Lt" => Compare(actual, values) is < 0,
            _ => false,
        };
    }

    private static int? Compare(string? actual, List<string?> values) =>
        values.Count == 1
        && long.TryParse(actual, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var a)
        && long.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var b)
            ? a.CompareTo(b)
            : null;

    // ToleratesTaint: same effect (or any effect), the key (or any key with Exists), and the value unless Exists.
    private static bool Tolerated(JsonObject taint, List<JsonObject> tolerations) => tolerations.Any(t =>
    {
        var effect = t.GetString("effect");
        if (!string.IsNullOrEmpty(effect) && effect != taint.GetString("effect"))
        {
            return false;
        }

        var key = t.GetString("key");
        var exists = t.GetString("operator") == "Exists";
        if (string.IsNullOrEmpty(key))
        {
            return exists;
        }

        return key == taint.GetString("key") && (exists || (t.GetString("value") ?? "") == (taint.GetString("value") ?? ""));
    });
}
