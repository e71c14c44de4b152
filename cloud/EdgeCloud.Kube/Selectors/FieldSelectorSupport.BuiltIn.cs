using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Selectors;

public sealed partial class FieldSelectorSupport
{
    /// <summary>
    /// Registers the built-in kinds whose field selectors kube-apiserver extends beyond metadata.name and
    /// metadata.namespace. The accepted fields are those of the field label conversion functions
    /// (pkg/apis/core/v1/conversion.go, pkg/apis/batch/v1, pkg/apis/certificates/v1) and the values those of each
    /// registry's GetAttrs (pkg/registry/*/strategy.go). Cluster-scoped Node, Namespace and CertificateSigningRequest
    /// do not accept metadata.namespace, as upstream.
    /// </summary>
    public void RegisterBuiltInKinds()
    {
        var name = Field(MetadataName, "metadata", "name");
        var ns = Field(MetadataNamespace, "metadata", "namespace");

        Register("", "Pod",
        [
            name,
            ns,
            Field("spec.nodeName", "spec", "nodeName"),
            Field("spec.restartPolicy", "spec", "restartPolicy"),
            Field("spec.schedulerName", "spec", "schedulerName"),
            Field("spec.serviceAccountName", "spec", "serviceAccountName"),
            new("spec.hostNetwork", obj => ObjectFieldValues.Boolean(obj, "spec", "hostNetwork")),
            Field("status.phase", "status", "phase"),
            new("status.podIP", PodIP),

            // Accepted by the conversion function but absent from the pod's field set, so upstream compares it
            // as "": status.podIPs= selects every pod and status.podIPs=x none. Matched as is.
            new("status.podIPs", _ => ""),
            Field("status.nominatedNodeName", "status", "nominatedNodeName"),
        ],
        aliases: new Dictionary<string, string> { ["spec.host"] = "spec.nodeName" }, // old v1 clients send spec.host
        unsupported: null);

        Register("", "Node",
        [
            name,
            new("spec.unschedulable", obj => ObjectFieldValues.Boolean(obj, "spec", "unschedulable")),
        ]);

        Register("", "ReplicationController",
        [
            name,
            ns,
            new("status.replicas", obj => ObjectFieldValues.Integer(obj, "status", "replicas")),
        ]);

        Register("", "Event",
        [
            name,
            ns,
            Field("involvedObject.kind", "involvedObject", "kind"),
            Field("involvedObject.namespace", "involvedObject", "namespace"),
            Field("involvedObject.name", "involvedObject", "name"),
            Field("involvedObject.uid", "involvedObject", "uid"),
            Field("involvedObject.apiVersion", "involvedObject", "apiVersion"),
            Field("involvedObject.resourceVersion", "involvedObject", "resourceVersion"),
            Field("involvedObject.fieldPath", "involvedObject", "fieldPath"),
            Field("reason", "reason"),
            Field("reportingComponent", "reportingComponent"),
            new("source", EventSource),
            Field("type", "type"),
        ]);

        Register("", "Namespace",
        [
            name,
            Field("status.phase", "status", "phase"),
        ]);

        Register("", "Secret",
        [
            name,
            ns,
            Field("type", "type"),
        ]);

        Register("", "Service",
        [
            name,
            ns,
            Field("spec.clusterIP", "spec", "clusterIP"),
            Field("spec.type", "spec", "type"),
        ]);

        // The ReplicaSet registry's field set and the field selector documentation list status.replicas.
        Register("apps", "ReplicaSet",
        [
            name,
            ns,
            new("status.replicas", obj => ObjectFieldValues.Integer(obj, "status", "replicas")),
        ]);

        Register("batch", "Job",
        [
            name,
            ns,
            new("status.successful", obj => ObjectFieldValues.Integer(obj, "status", "succeeded")),
        ],
        aliases: null,
        unsupported: field => $"field label \"{field}\" not supported for batchv1.Job"); // batch/v1's own wording

        Register("certificates.k8s.io", "CertificateSigningRequest",
        [
            name,
            Field("spec.signerName", "spec", "signerName"),
        ]);
    }

    // The pod registry takes the first of status.podIPs; a v1 object may carry only the older status.podIP.
    private static string PodIP(JsonObject pod)
    {
        if (ObjectFieldValues.At(pod, ["status", "podIPs"]) is JsonArray { Count: > 0 } ips && ips[0] is JsonObject first)
        {
            return ObjectFieldValues.Text(first, "ip");
        }

        return ObjectFieldValues.Text(pod, "status", "podIP");
    }

    // The event registry's "source" is source.component, or reportingComponent when that is empty.
    private static string EventSource(JsonObject evt)
    {
        var component = ObjectFieldValues.Text(evt, "source", "component");
        return component.Length > 0 ? component : ObjectFieldValues.Text(evt, "reportingComponent");
    }
}
