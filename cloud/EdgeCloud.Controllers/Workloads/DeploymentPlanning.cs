using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Apply;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Workloads;

/// <summary>
/// The Deployment controller's decisions (kube-controller-manager pkg/controller/deployment): which ReplicaSet is
/// new and which are old, the new ReplicaSet to create, how far to scale each one for RollingUpdate, Recreate,
/// a scale of the Deployment mid-rollout and a paused Deployment, which old ReplicaSets to delete, the revision
/// annotations <c>kubectl rollout history|undo</c> read, and the status. Pure: no I/O.
/// </summary>
public static partial class DeploymentPlanning
{
    /// <summary>The revision of a Deployment and of each of its ReplicaSets.</summary>
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    /// <summary>Earlier revisions a ReplicaSet had, comma-separated, when a rollback made it new again.</summary>
    public const string RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";

    /// <summary>The Deployment's spec.replicas when the ReplicaSet was last sized.</summary>
    public const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";

    /// <summary>spec.replicas + maxSurge when the ReplicaSet was last sized (the base of proportional scaling).</summary>
    public const string MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";

    /// <summary>Why a revision was made; copied to the ReplicaSet and shown by <c>kubectl rollout history</c>.</summary>
    public const string ChangeCauseAnnotation = "kubernetes.io/change-cause";

    /// <summary>The longest revision-history annotation kept, in characters (upstream's default).</summary>
    public const int MaxRevisionHistoryLength = 2000;

    // Annotations of the Deployment that are not copied to its ReplicaSets: they belong to one object only.
    private static readonly HashSet<string> NotCopied = new(StringComparer.Ordinal)
    {
        "kubectl.kubernetes.io/last-applied-configuration",
        RevisionAnnotation,
        RevisionHistoryAnnotation,
        DesiredReplicasAnnotation,
        MaxReplicasAnnotation,
        "deprecated.deployment.rollback.to",
    };

    /// <summary>
    /// One sync of <paramref name="deployment"/>. <paramref name="replicaSets"/> are the ReplicaSets it controls
    /// (adopted); <paramref name="pods"/> are the pods those ReplicaSets control (read by Recreate, which waits for
    /// every old pod to be gone).
    /// </summary>
    public static DeploymentPlan Plan(JsonObject deployment, IReadOnlyList<JsonObject> replicaSets, IReadOnlyList<JsonObject> pods, DateTimeOffset now) =>
        new Sync(deployment, replicaSets, pods, now).Run();

    /// <summary>
    /// The new ReplicaSet: the oldest whose pod template equals the Deployment's, ignoring the pod-template-hash
    /// label; null when there is none yet.
    /// </summary>
    public static JsonObject? FindNewReplicaSet(JsonObject deployment, IEnumerable<JsonObject> replicaSets)
    {
        var template = deployment["spec"]?["template"] as JsonObject;
        return ByCreation(replicaSets).FirstOrDefault(rs => EqualIgnoringHash(rs["spec"]?["template"] as JsonObject, template));
    }

    /// <summary>Every ReplicaSet but the new one.</summary>
    public static IReadOnlyList<JsonObject> FindOldReplicaSets(JsonObject deployment, IEnumerable<JsonObject> replicaSets)
    {
        var all = replicaSets.ToList();
        var newReplicaSet = FindNewReplicaSet(deployment, all);
        return [.. all.Where(rs => !ReferenceEquals(rs, newReplicaSet))];
    }

    /// <summary>Two pod templates are equal once their pod-template-hash labels are taken away.</summary>
    public static bool EqualIgnoringHash(JsonObject? a, JsonObject? b) => CanonicalJson.Write(WithoutHash(a)) == CanonicalJson.Write(WithoutHash(b));

    /// <summary>
    /// The ReplicaSet for the Deployment's current template, unsized (replicas 0): named
    /// <c>&lt;deployment&gt;-&lt;hash&gt;</c>, the hash (salted by status.collisionCount) added to its labels,
    /// selector and template, and controlled by the Deployment.
    /// </summary>
    public static JsonObject NewReplicaSet(JsonObject deployment)
    {
        var spec = deployment["spec"] as JsonObject ?? [];
        var template = spec["template"]?.DeepClone() as JsonObject ?? [];
        var collisionCount = WorkloadJson.TryLong(deployment["status"]?["collisionCount"], out var count) ? (int)count : (int?)null;
        var hash = PodTemplateHash.Compute(template, collisionCount);
        WorkloadJson.Child(WorkloadJson.Child(template, "metadata"), "labels")[PodTemplateHash.Label] = hash;
        var selector = spec["selector"]?.DeepClone() as JsonObject ?? [];
        WorkloadJson.Child(selector, "matchLabels")[PodTemplateHash.Label] = hash;
        var rsSpec = new JsonObject { ["replicas"] = 0 };
        if (WorkloadJson.Int(spec, "minReadySeconds") is var minReady and not 0)
        {
            rsSpec["minReadySeconds"] = minReady;
        }

        rsSpec["selector"] = selector;
        rsSpec["template"] = template;
        var metadata = new JsonObject
        {
            ["name"] = WorkloadJson.Name(deployment) + "-" + hash,
            ["labels"] = template["metadata"]!["labels"]!.DeepClone(),
            ["ownerReferences"] = new JsonArray(ControllerRefs.For(DeploymentKind.Definition, deployment)),
        };
        if (deployment.Metadata().GetString("namespace") is { } ns)
        {
            metadata["namespace"] = ns;
        }

        return new JsonObject
        {
            ["apiVersion"] = ReplicaSetKind.Definition.ApiVersion,
            ["kind"] = ReplicaSetKind.Definition.Kind,
            ["metadata"] = metadata,
            ["spec"] = rsSpec,
        };
    }

    /// <summary>
    /// The status to store when creating the new ReplicaSet met an existing object of the same name: null when that
    /// object is this Deployment's ReplicaSet for the same template (a stale cache; plan again), otherwise the
    /// status with collisionCount one higher, so the next plan hashes to a different name.
    /// </summary>
    public static JsonObject? StatusAfterNameConflict(JsonObject deployment, JsonObject existing)
    {
        if (ControllerRefs.ControllerUid(existing) == WorkloadJson.Uid(deployment)
            && EqualIgnoringHash(existing["spec"]?["template"] as JsonObject, deployment["spec"]?["template"] as JsonObject))
        {
            return null;
        }

        var status = (deployment["status"] as JsonObject)?.DeepClone().AsObject() ?? [];
        status["collisionCount"] = WorkloadJson.Int(status, "collisionCount") + 1;
        return status;
    }

    /// <summary>The ReplicaSet's revision annotation as a number; 0 when absent or malformed.</summary>
    public static long Revision(JsonObject replicaSet) =>
        long.TryParse(WorkloadJson.Annotation(replicaSet, RevisionAnnotation), NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : 0;

    /// <summary>maxSurge resolved against spec.replicas, rounding up; 0 unless the strategy is RollingUpdate.</summary>
    public static int MaxSurge(JsonObject deployment) => IsRollingUpdate(deployment) ? Fenceposts(deployment).Surge : 0;

    /// <summary>
    /// maxUnavailable resolved against spec.replicas, rounding down, and at most spec.replicas; 1 when maxSurge and
    /// maxUnavailable both come to 0 (a rollout must be able to move). 0 unless the strategy is RollingUpdate.
    /// </summary>
    public static int MaxUnavailable(JsonObject deployment)
    {
        var replicas = WorkloadJson.SpecReplicas(deployment);
        if (!IsRollingUpdate(deployment) || replicas == 0)
        {
            return 0;
        }

        return Math.Min(Fenceposts(deployment).Unavailable, replicas);
    }

    /// <summary>spec.strategy.type is RollingUpdate (the default).</summary>
    public static bool IsRollingUpdate(JsonObject deployment) =>
        ((deployment["spec"]?["strategy"]) as JsonObject)?.GetString("type") is null or "RollingUpdate";

    /// <summary>spec.paused is true.</summary>
    public static bool IsPaused(JsonObject deployment) =>
        deployment["spec"]?["paused"] is JsonValue value && value.TryGetValue<bool>(out var paused) && paused;

    private static (int Surge, int Unavailable) Fenceposts(JsonObject deployment)
    {
        var replicas = WorkloadJson.SpecReplicas(deployment);
        var rolling = deployment["spec"]?["strategy"]?["rollingUpdate"] as JsonObject;
        var surge = IntOrPercent.Resolve(rolling?["maxSurge"] ?? JsonValue.Create("25%"), replicas, roundUp: true, fallback: 0);
        var unavailable = IntOrPercent.Resolve(rolling?["maxUnavailable"] ?? JsonValue.Create("25%"), replicas, roundUp: false, fallback: 0);
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, unavailable);
    }

    private static JsonObject? WithoutHash(JsonObject? template)
    {
        if (template is null)
        {
            return null;
        }

        var copy = template.DeepClone().AsObject();
        if (copy["metadata"] is JsonObject metadata && metadata["labels"] is JsonObject labels)
        {
            labels.Remove(PodTemplateHash.Label);
            if (labels.Count == 0)
            {
                metadata.Remove("labels");
            }
        }

        return copy;
    }

    // ReplicaSetsByCreationTimestamp: oldest first, then by name.
    private static IEnumerable<JsonObject> ByCreation(IEnumerable<JsonObject> replicaSets) =>
        replicaSets.OrderBy(WorkloadJson.CreationTimestamp).ThenBy(WorkloadJson.Name, StringComparer.Ordinal);
}
