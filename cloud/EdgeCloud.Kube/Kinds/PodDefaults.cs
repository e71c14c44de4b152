using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Kinds;

/// <summary>Pod defaulting that depends on values (kube-apiserver's SetDefaults_Container and friends).</summary>
public static class PodDefaults
{
    /// <summary>
    /// imagePullPolicy when unset: Always for an image without a tag or tagged ":latest", IfNotPresent otherwise
    /// (a digest counts as pinned).
    /// </summary>
    public static void ApplyToPodSpec(JsonObject? spec)
    {
        foreach (var container in PodContainers.All(spec))
        {
            if (container["imagePullPolicy"] is null && container["image"] is JsonValue image && image.TryGetValue<string>(out var reference))
            {
                container["imagePullPolicy"] = PullPolicyFor(reference);
            }
        }
    }

    /// <summary>The default pull policy of <paramref name="image"/>.</summary>
    public static string PullPolicyFor(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return "IfNotPresent";
        }

        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var colon = lastSegment.LastIndexOf(':');
        return colon < 0 || lastSegment[(colon + 1)..] == "latest" ? "Always" : "IfNotPresent";
    }

    /// <summary>
    /// Defaults of a pod: its spec, and (as SetDefaults_Pod, for pods only and not for templates) each container's
    /// limits copied into its requests where a request for that resource is missing.
    /// </summary>
    public static void ApplyToPod(JsonObject pod)
    {
        var spec = pod["spec"] as JsonObject;
        ApplyToPodSpec(spec);
        foreach (var container in PodContainers.WithResources(spec))
        {
            RequestsFromLimits(container["resources"] as JsonObject);
        }
    }

    /// <summary>
    /// What kube-apiserver sets when a pod is created, once defaulted: status.qosClass from its requests and limits
    /// (<see cref="PodQos"/>). The rest of a given status is kept: controllers and tests create pods with one.
    /// </summary>
    public static void AdmitPodCreate(JsonObject pod)
    {
        if (pod["status"] is not JsonObject status)
        {
            status = [];
            pod["status"] = status;
        }

        status["qosClass"] = PodQos.ClassOf(pod["spec"] as JsonObject);
    }

    private static void RequestsFromLimits(JsonObject? resources)
    {
        if (resources?["limits"] is not JsonObject { Count: > 0 } limits)
        {
            return;
        }

        if (resources["requests"] is not JsonObject requests)
        {
            requests = [];
            resources["requests"] = requests;
        }

        foreach (var (name, value) in limits)
        {
            if (!requests.ContainsKey(name) && value is not null)
            {
                requests[name] = value.DeepClone();
            }
        }
    }

    /// <summary>Defaults of a workload: its pod template's spec.</summary>
    public static void ApplyToTemplate(JsonObject workload) => ApplyToPodSpec(workload["spec"]?["template"]?["spec"] as JsonObject);

    /// <summary>
    /// A Job's completions and parallelism: both 1 when neither is set; parallelism 1 when only it is unset; a
    /// Job with parallelism but no completions is a work queue and keeps completions unset.
    /// </summary>
    public static void ApplyToJob(JsonObject job)
    {
        ApplyToTemplate(job);
        if (job["spec"] is not JsonObject spec)
        {
            return;
        }

        if (spec["completions"] is null && spec["parallelism"] is null)
        {
            spec["completions"] = 1;
        }

        spec["parallelism"] ??= 1;
    }
}
