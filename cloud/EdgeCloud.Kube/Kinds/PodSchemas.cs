using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;
using static EdgeCloud.Kube.Schema.Schemas;

namespace EdgeCloud.Kube.Kinds;

/// <summary>
/// core/v1 Pod and its parts. Containers, ports, env, volume mounts and volumes are declared with their merge
/// keys (so kubectl apply merges them instead of replacing); the rest of the spec is kept as written
/// (<see cref="MetaSchemas.Open"/>) until its full declaration lands.
/// </summary>
public static class PodSchemas
{
    /// <summary>core/v1 ContainerPort.</summary>
    public static SchemaNode ContainerPort { get; } = Object(
        "A port the container listens on.",
        ("name", String("Name of the port, unique in the pod.")),
        ("containerPort", Int32("Port number on the pod's IP.")),
        ("hostPort", Int32("Port number on the host.")),
        ("hostIP", String("Host address to bind.")),
        ("protocol", Enum("TCP, UDP or SCTP.", "TCP", "UDP", "SCTP").WithDefault("TCP"))).Require("containerPort");

    /// <summary>core/v1 EnvVar.</summary>
    public static SchemaNode EnvVar { get; } = Object(
        "An environment variable.",
        ("name", String("Variable name.")),
        ("value", String("Literal value.")),
        ("valueFrom", Any("Source of the value: a field, resource, config map or secret key."))).Require("name");

    /// <summary>core/v1 VolumeMount.</summary>
    public static SchemaNode VolumeMount { get; } = Object(
        "Where a volume is mounted in the container.",
        ("name", String("Name of the volume.")),
        ("mountPath", String("Path in the container.")),
        ("subPath", String("Path within the volume.")),
        ("subPathExpr", String("Expanded sub path.")),
        ("readOnly", Boolean("Mount read-only.")),
        ("recursiveReadOnly", String("Recursive read-only mode.")),
        ("mountPropagation", String("Propagation mode."))).Require("name", "mountPath");

    /// <summary>core/v1 Container.</summary>
    public static SchemaNode Container { get; } = Object(
        "A container of the pod.",
        ("name", String("Name, unique in the pod.")),
        ("image", String("Container image reference.")),
        ("command", ListOf(String(), "Entrypoint; the image's when empty.")),
        ("args", ListOf(String(), "Arguments to the entrypoint.")),
        ("workingDir", String("Working directory.")),
        ("ports", KeyedList(ContainerPort, "containerPort", "Ports to expose.") with { ListMapKeys = ["containerPort", "protocol"] }),
        ("env", KeyedList(EnvVar, "name", "Environment variables.")),
        ("envFrom", ListOf(Any("A source of variables."), "Sources of environment variables.")),
        ("resources", Any("Compute resource requests and limits.")),
        ("volumeMounts", KeyedList(VolumeMount, "mountPath", "Volumes to mount.")),
        ("imagePullPolicy", Enum("Always, Never or IfNotPresent.", "Always", "Never", "IfNotPresent")),
        ("terminationMessagePath", String("File the termination message is read from.").WithDefault("/dev/termination-log")),
        ("terminationMessagePolicy", Enum("File or FallbackToLogsOnError.", "File", "FallbackToLogsOnError").WithDefault("File"))).Require("name").Open();

    /// <summary>core/v1 Volume.</summary>
    public static SchemaNode Volume { get; } = Object(
        "A named volume the containers can mount.",
        ("name", String("Volume name, unique in the pod."))).Require("name").Open();

    /// <summary>core/v1 PodSpec.</summary>
    public static SchemaNode PodSpec { get; } = Object(
        "Desired state of the pod.",
        ("containers", KeyedList(Container, "name", "Containers of the pod.")),
        ("initContainers", KeyedList(Container, "name", "Containers run to completion before the others.")),
        ("volumes", KeyedList(Volume, "name", "Volumes of the pod.") with { PatchStrategy = "merge,retainKeys" }),
        ("nodeName", String("Node the pod is bound to.")),
        ("nodeSelector", StringMap("Labels a node must have.")),
        ("restartPolicy", Enum("Always, OnFailure or Never.", "Always", "OnFailure", "Never").WithDefault("Always")),
        ("terminationGracePeriodSeconds", Int64("Seconds to stop gracefully.").WithDefault(30)),
        ("dnsPolicy", Enum("DNS policy.", "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None").WithDefault("ClusterFirst")),
        ("schedulerName", String("Scheduler that places the pod.").WithDefault("default-scheduler")),
        ("serviceAccountName", String("Service account the pod runs as.")),
        ("hostNetwork", Boolean("Use the host's network namespace.")),
        ("securityContext", Any("Pod-level security attributes.").WithDefault(new JsonObject())),
        ("tolerations", ListOf(Any("A toleration."), "Taints the pod tolerates."))).Require("containers").Open();

    /// <summary>core/v1 PodStatus (kept as reported).</summary>
    public static SchemaNode PodStatus { get; } = Object(
        "Observed state of the pod.",
        ("phase", Enum("Pending, Running, Succeeded, Failed or Unknown.", "Pending", "Running", "Succeeded", "Failed", "Unknown")),
        ("conditions", KeyedList(Any("A pod condition."), "type", "Pod conditions.")),
        ("containerStatuses", ListOf(Any("A container's status."), "Statuses of the containers.")),
        ("podIP", String("IP address of the pod.")),
        ("hostIP", String("IP address of the node."))).Open();

    /// <summary>core/v1 PodTemplateSpec.</summary>
    public static SchemaNode PodTemplateSpec { get; } = Object(
        "Template of the pods to create.",
        ("metadata", MetaSchemas.ObjectMeta),
        ("spec", PodSpec));

    /// <summary>core/v1 Pod.</summary>
    public static KindDefinition Pod { get; } = new()
    {
        Group = "",
        Version = "v1",
        Kind = "Pod",
        Plural = "pods",
        Singular = "pod",
        Namespaced = true,
        ShortNames = ["po"],
        Categories = ["all"],
        Subresources = ["status", "binding", "log", "exec", "attach", "portforward", "eviction", "ephemeralcontainers", "proxy"],
        Defaulting = PodDefaults.ApplyToPod,
        Schema = MetaSchemas.KindObject("A group of containers run together on one node.", ("spec", PodSpec), ("status", PodStatus)),
        PrinterColumns =
        [
            new() { Name = "Ready", Description = "Ready containers / containers.", Cell = static (pod, _) => PodPrinting.Ready(pod) },
            new() { Name = "Status", Description = "Why the pod is in its current state.", Cell = static (pod, _) => PodPrinting.Status(pod) },
            new() { Name = "Restarts", Type = "string", Description = "Container restarts.", Cell = static (pod, now) => PodPrinting.Restarts(pod, now) },
            Columns.Age,
            Columns.Text("IP", "IP address of the pod.", 1, "status", "podIP"),
            Columns.Text("Node", "Node the pod runs on.", 1, "spec", "nodeName"),
            Columns.Text("Nominated Node", "Node the scheduler nominated.", 1, "status", "nominatedNodeName"),
            new() { Name = "Readiness Gates", Priority = 1, Description = "Readiness gates met / gates.", Cell = static (pod, _) => PodPrinting.ReadinessGates(pod) },
        ],
    };
}
