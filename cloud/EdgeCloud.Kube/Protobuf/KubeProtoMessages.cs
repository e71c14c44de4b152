using static EdgeCloud.Kube.Protobuf.ProtoKind;

namespace EdgeCloud.Kube.Protobuf;

/// <summary>
/// The protobuf messages of the objects kubectl 1.32+ sends as protobuf from its generator commands (create
/// namespace, configmap, secret, serviceaccount, deployment, job), with field numbers as published in
/// Kubernetes' generated.proto files. Fields outside these subsets are refused when set, never dropped.
/// </summary>
public static class KubeProtoMessages
{
    private static readonly ProtoMessage LabelSelectorRequirement = new(
        "LabelSelectorRequirement", F(1, "key", ProtoKind.String), F(2, "operator", ProtoKind.String), F(3, "values", ProtoKind.String, repeated: true));

    private static readonly ProtoMessage LabelSelector = new(
        "LabelSelector", F(1, "matchLabels", StringMap), F(2, "matchExpressions", Message, LabelSelectorRequirement, repeated: true));

    private static readonly ProtoMessage OwnerReference = new(
        "OwnerReference", F(1, "kind", ProtoKind.String), F(3, "name", ProtoKind.String), F(4, "uid", ProtoKind.String), F(5, "apiVersion", ProtoKind.String),
        F(6, "controller", ProtoKind.Bool, pointer: true), F(7, "blockOwnerDeletion", ProtoKind.Bool, pointer: true));

    /// <summary>metav1.ObjectMeta.</summary>
    public static ProtoMessage ObjectMeta { get; } = new(
        "ObjectMeta", F(1, "name", ProtoKind.String), F(2, "generateName", ProtoKind.String), F(3, "namespace", ProtoKind.String), F(4, "selfLink", ProtoKind.String),
        F(5, "uid", ProtoKind.String), F(6, "resourceVersion", ProtoKind.String), F(7, "generation", ProtoKind.Int64), F(8, "creationTimestamp", Time),
        F(9, "deletionTimestamp", Time), F(10, "deletionGracePeriodSeconds", ProtoKind.Int64, pointer: true), F(11, "labels", StringMap),
        F(12, "annotations", StringMap), F(13, "ownerReferences", Message, OwnerReference, repeated: true), F(14, "finalizers", ProtoKind.String, repeated: true));

    private static readonly ProtoMessage ObjectReference = new(
        "ObjectReference", F(1, "kind", ProtoKind.String), F(2, "namespace", ProtoKind.String), F(3, "name", ProtoKind.String), F(4, "uid", ProtoKind.String),
        F(5, "apiVersion", ProtoKind.String), F(6, "resourceVersion", ProtoKind.String), F(7, "fieldPath", ProtoKind.String));

    private static readonly ProtoMessage LocalObjectReference = new("LocalObjectReference", F(1, "name", ProtoKind.String));

    private static readonly ProtoMessage ContainerPort = new(
        "ContainerPort", F(1, "name", ProtoKind.String), F(2, "hostPort", ProtoKind.Int32), F(3, "containerPort", ProtoKind.Int32), F(4, "protocol", ProtoKind.String), F(5, "hostIP", ProtoKind.String));

    private static readonly ProtoMessage EnvVar = new("EnvVar", F(1, "name", ProtoKind.String), F(2, "value", ProtoKind.String));

    private static readonly ProtoMessage ResourceRequirements = new("ResourceRequirements", F(1, "limits", QuantityMap), F(2, "requests", QuantityMap));

    private static readonly ProtoMessage Container = new(
        "Container", F(1, "name", ProtoKind.String), F(2, "image", ProtoKind.String), F(3, "command", ProtoKind.String, repeated: true), F(4, "args", ProtoKind.String, repeated: true),
        F(5, "workingDir", ProtoKind.String), F(6, "ports", Message, ContainerPort, repeated: true), F(7, "env", Message, EnvVar, repeated: true),
        F(8, "resources", Message, ResourceRequirements), F(13, "terminationMessagePath", ProtoKind.String), F(14, "imagePullPolicy", ProtoKind.String),
        F(16, "stdin", ProtoKind.Bool), F(17, "stdinOnce", ProtoKind.Bool), F(18, "tty", ProtoKind.Bool), F(20, "terminationMessagePolicy", ProtoKind.String), F(24, "restartPolicy", ProtoKind.String, pointer: true));

    private static readonly ProtoMessage PodSpec = new(
        "PodSpec", F(2, "containers", Message, Container, repeated: true), F(20, "initContainers", Message, Container, repeated: true),
        F(3, "restartPolicy", ProtoKind.String), F(4, "terminationGracePeriodSeconds", ProtoKind.Int64, pointer: true), F(5, "activeDeadlineSeconds", ProtoKind.Int64, pointer: true),
        F(6, "dnsPolicy", ProtoKind.String), F(7, "nodeSelector", StringMap), F(8, "serviceAccountName", ProtoKind.String), F(9, "serviceAccount", ProtoKind.String),
        F(21, "automountServiceAccountToken", ProtoKind.Bool, pointer: true), F(10, "nodeName", ProtoKind.String), F(11, "hostNetwork", ProtoKind.Bool), F(12, "hostPID", ProtoKind.Bool),
        F(13, "hostIPC", ProtoKind.Bool), F(15, "imagePullSecrets", Message, LocalObjectReference, repeated: true), F(16, "hostname", ProtoKind.String),
        F(17, "subdomain", ProtoKind.String), F(19, "schedulerName", ProtoKind.String), F(24, "priorityClassName", ProtoKind.String), F(25, "priority", ProtoKind.Int32, pointer: true),
        F(29, "runtimeClassName", ProtoKind.String, pointer: true), F(30, "enableServiceLinks", ProtoKind.Bool, pointer: true), F(31, "preemptionPolicy", ProtoKind.String, pointer: true));

    private static readonly ProtoMessage PodTemplateSpec = new("PodTemplateSpec", F(1, "metadata", Message, ObjectMeta), F(2, "spec", Message, PodSpec));

    private static readonly ProtoMessage RollingUpdateDeployment = new("RollingUpdateDeployment", F(1, "maxUnavailable", IntOrString), F(2, "maxSurge", IntOrString));

    private static readonly ProtoMessage DeploymentStrategy = new("DeploymentStrategy", F(1, "type", ProtoKind.String), F(2, "rollingUpdate", Message, RollingUpdateDeployment));

    private static readonly ProtoMessage DeploymentSpec = new(
        "DeploymentSpec", F(1, "replicas", ProtoKind.Int32, pointer: true), F(2, "selector", Message, LabelSelector), F(3, "template", Message, PodTemplateSpec),
        F(4, "strategy", Message, DeploymentStrategy), F(5, "minReadySeconds", ProtoKind.Int32), F(6, "revisionHistoryLimit", ProtoKind.Int32, pointer: true),
        F(7, "paused", ProtoKind.Bool), F(9, "progressDeadlineSeconds", ProtoKind.Int32, pointer: true));

    private static readonly ProtoMessage JobSpec = new(
        "JobSpec", F(1, "parallelism", ProtoKind.Int32, pointer: true), F(2, "completions", ProtoKind.Int32, pointer: true), F(3, "activeDeadlineSeconds", ProtoKind.Int64, pointer: true),
        F(7, "backoffLimit", ProtoKind.Int32, pointer: true), F(4, "selector", Message, LabelSelector), F(5, "manualSelector", ProtoKind.Bool, pointer: true),
        F(6, "template", Message, PodTemplateSpec), F(8, "ttlSecondsAfterFinished", ProtoKind.Int32, pointer: true), F(9, "completionMode", ProtoKind.String, pointer: true),
        F(10, "suspend", ProtoKind.Bool, pointer: true));

    // Status messages are accepted only empty: generators never set them.
    private static readonly ProtoMessage EmptyStatus = new("Status");

    private static readonly Dictionary<(string Group, string Kind), ProtoMessage> Objects = new()
    {
        [("", "Namespace")] = new("Namespace", F(1, "metadata", Message, ObjectMeta), F(2, "spec", Message, new ProtoMessage("NamespaceSpec", F(1, "finalizers", ProtoKind.String, repeated: true))), F(3, "status", Message, EmptyStatus)),
        [("", "ConfigMap")] = new("ConfigMap", F(1, "metadata", Message, ObjectMeta), F(2, "data", StringMap), F(3, "binaryData", BytesMap), F(4, "immutable", ProtoKind.Bool, pointer: true)),
        [("", "Secret")] = new("Secret", F(1, "metadata", Message, ObjectMeta), F(2, "data", BytesMap), F(3, "type", ProtoKind.String), F(4, "stringData", StringMap), F(5, "immutable", ProtoKind.Bool, pointer: true)),
        [("", "ServiceAccount")] = new("ServiceAccount", F(1, "metadata", Message, ObjectMeta), F(2, "secrets", Message, ObjectReference, repeated: true),
            F(3, "imagePullSecrets", Message, LocalObjectReference, repeated: true), F(4, "automountServiceAccountToken", ProtoKind.Bool, pointer: true)),
        [("apps", "Deployment")] = new("Deployment", F(1, "metadata", Message, ObjectMeta), F(2, "spec", Message, DeploymentSpec), F(3, "status", Message, EmptyStatus)),
        [("batch", "Job")] = new("Job", F(1, "metadata", Message, ObjectMeta), F(2, "spec", Message, JobSpec), F(3, "status", Message, EmptyStatus)),
        [("authentication.k8s.io", "TokenRequest")] = new(
            "TokenRequest", F(1, "metadata", Message, ObjectMeta),
            F(2, "spec", Message, new ProtoMessage(
                "TokenRequestSpec", F(1, "audiences", ProtoKind.String, repeated: true), F(4, "expirationSeconds", ProtoKind.Int64, pointer: true),
                F(3, "boundObjectRef", Message, new ProtoMessage("BoundObjectReference", F(1, "kind", ProtoKind.String), F(2, "apiVersion", ProtoKind.String), F(3, "name", ProtoKind.String), F(4, "uid", ProtoKind.String))))),
            F(3, "status", Message, EmptyStatus)),
    };

    /// <summary>The message of objects of (<paramref name="group"/>, <paramref name="kind"/>), or null when protobuf is not accepted for it.</summary>
    public static ProtoMessage? For(string group, string kind) => Objects.GetValueOrDefault((group, kind));

    private static ProtoField F(int number, string name, ProtoKind kind, ProtoMessage? message = null, bool repeated = false, bool pointer = false) =>
        new(number, name, kind, message, repeated, pointer);
}
