using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>Every kind EdgeCloud serves without a CRD.</summary>
public static class BuiltInKinds
{
    /// <summary>The built-in kinds, core group first, in discovery order.</summary>
    public static IReadOnlyList<KindDefinition> All { get; } =
    [
        PodSchemas.Pod,
        NamespaceKind.Definition,
        NodeKind.Definition,
        ServiceKind.Definition,
        ConfigMapKind.Definition,
        SecretKind.Definition,
        ServiceAccountKind.Definition,
        EventKind.Definition,
        DeploymentKind.Definition,
        ReplicaSetKind.Definition,
        DaemonSetKind.Definition,
        ControllerRevisionKind.Definition,
        JobKind.Definition,
        LeaseKind.Definition,
        CustomResourceDefinitionKind.Definition,
    ];
}
