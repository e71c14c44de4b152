using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Workloads;

/// <summary>
/// The pod a workload controller creates from its pod template, as kube-controller-manager's GetPodFromTemplate
/// builds it: the template's labels, annotations, finalizers and spec, a generated name, the owner's namespace and a
/// controller ownerReference to the owner.
/// </summary>
public static class PodFromTemplate
{
    /// <summary>
    /// A new v1 Pod for <paramref name="template"/> (a PodTemplateSpec), owned by <paramref name="owner"/> of
    /// <paramref name="ownerKind"/>, named by the server from <paramref name="generateName"/>. The template is
    /// copied, never shared: callers may change the pod freely.
    /// </summary>
    public static JsonObject Build(JsonObject template, KindDefinition ownerKind, JsonObject owner, string generateName)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(ownerKind);
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentException.ThrowIfNullOrEmpty(generateName);

        var metadata = new JsonObject { ["generateName"] = generateName };
        if (owner.Metadata().GetString("namespace") is { } ns)
        {
            metadata["namespace"] = ns;
        }

        var templateMetadata = template["metadata"] as JsonObject;
        // Only these parts of the template's metadata reach the pod (upstream copies labels, annotations and
        // finalizers; a name or namespace in a template means nothing).
        foreach (var field in (ReadOnlySpan<string>)["labels", "annotations", "finalizers"])
        {
            if (templateMetadata?[field] is { } value)
            {
                metadata[field] = value.DeepClone();
            }
        }

        metadata["ownerReferences"] = new JsonArray(ControllerRefs.For(ownerKind, owner));
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
        };
    }
}
