using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>Every kind each cluster serves without a CRD.</summary>
public static class BuiltInKinds
{
    /// <summary>The built-in kinds.</summary>
    public static IReadOnlyList<KindDefinition> All { get; } =
    [
        CoreKinds.Namespace, PodSchemas.Pod, CoreKinds.Node, CoreKinds.ConfigMap, CoreKinds.Secret, CoreKinds.Service,
        CoreKinds.ServiceAccount, CoreKinds.Event, WorkloadKinds.Deployment, WorkloadKinds.ReplicaSet, WorkloadKinds.DaemonSet,
        WorkloadKinds.Job, ExtensionKinds.Lease, ExtensionKinds.CustomResourceDefinition,
    ];
}
