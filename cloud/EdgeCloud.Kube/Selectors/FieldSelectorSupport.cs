using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Selectors;

/// <summary>
/// The fields each kind can be selected by, as kube-apiserver's registries declare them (GetAttrs /
/// field label conversion): metadata.name and metadata.namespace everywhere, plus per-kind fields. A missing
/// field reads as "".
/// </summary>
public static class FieldSelectorSupport
{
    private static readonly Dictionary<(string Group, string Kind), Dictionary<string, Func<JsonObject, string>>> Extra = new()
    {
        [("", "Pod")] = new()
        {
            ["spec.nodeName"] = o => Read(o, "spec", "nodeName"),
            ["spec.restartPolicy"] = o => Read(o, "spec", "restartPolicy"),
            ["spec.schedulerName"] = o => Read(o, "spec", "schedulerName"),
            ["spec.serviceAccountName"] = o => Read(o, "spec", "serviceAccountName"),
            ["spec.hostNetwork"] = o => Read(o, "spec", "hostNetwork") is "true" ? "true" : "false",
            ["status.phase"] = o => Read(o, "status", "phase"),
            ["status.podIP"] = o => Read(o, "status", "podIP"),
            ["status.nominatedNodeName"] = o => Read(o, "status", "nominatedNodeName"),
        },
        [("", "Event")] = new()
        {
            ["involvedObject.kind"] = o => Read(o, "involvedObject", "kind"),
            ["involvedObject.namespace"] = o => Read(o, "involvedObject", "namespace"),
            ["involvedObject.name"] = o => Read(o, "involvedObject", "name"),
            ["involvedObject.uid"] = o => Read(o, "involvedObject", "uid"),
            ["involvedObject.apiVersion"] = o => Read(o, "involvedObject", "apiVersion"),
            ["involvedObject.resourceVersion"] = o => Read(o, "involvedObject", "resourceVersion"),
            ["involvedObject.fieldPath"] = o => Read(o, "involvedObject", "fieldPath"),
            ["reason"] = o => Read(o, "reason"),
            ["reportingComponent"] = o => Read(o, "reportingComponent"),
            ["source"] = o => Read(o, "source", "component"),
            ["type"] = o => Read(o, "type"),
        },
        [("", "Secret")] = new() { ["type"] = o => Read(o, "type") },
        [("", "Node")] = new() { ["spec.unschedulable"] = o => Read(o, "spec", "unschedulable") is "true" ? "true" : "false" },
        [("", "Namespace")] = new() { ["status.phase"] = o => Read(o, "status", "phase") },
        [("apps", "ReplicaSet")] = new() { ["status.replicas"] = o => Read(o, "status", "replicas") is { Length: > 0 } r ? r : "0" },
        [("batch", "Job")] = new() { ["status.successful"] = o => Read(o, "status", "succeeded") is { Length: > 0 } s ? s : "0" },
    };

    /// <summary>The selectable fields of objects of (<paramref name="group"/>, <paramref name="kind"/>).</summary>
    public static IReadOnlyDictionary<string, Func<JsonObject, string>> For(string group, string kind)
    {
        var fields = new Dictionary<string, Func<JsonObject, string>>(StringComparer.Ordinal)
        {
            ["metadata.name"] = static o => Read(o, "metadata", "name"),
            ["metadata.namespace"] = static o => Read(o, "metadata", "namespace"),
        };
        if (Extra.TryGetValue((group, kind), out var extra))
        {
            foreach (var (name, read) in extra)
            {
                fields[name] = read;
            }
        }

        return fields;
    }

    private static string Read(JsonObject obj, params string[] path)
    {
        JsonNode? node = obj;
        foreach (var step in path)
        {
            node = (node as JsonObject)?[step];
        }

        return node switch
        {
            null => "",
            JsonValue value when value.TryGetValue<string>(out var s) => s,
            JsonValue value => value.ToJsonString(),
            _ => node.ToJsonString(),
        };
    }
}
