using EdgeCloud.Kube.Schema;
using S = EdgeCloud.Kube.Schema.Schemas;

namespace EdgeCloud.Kube.Kinds;

public static partial class PodSchemas
{
    /// <summary>core/v1 PodStatus: the observed state of a pod, written by the scheduler and the kubelet.</summary>
    public static SchemaNode PodStatus => field ??= S.Object(
        "Most recently observed state of the pod.",
        ("observedGeneration", S.Int64("metadata.generation this status was computed from.")),
        ("phase", S.Enum("Coarse lifecycle phase of the pod.", "Pending", "Running", "Succeeded", "Failed", "Unknown")),
        ("conditions", MapList(PodCondition, "Current service state of the pod.", "merge", "type")),
        ("message", S.String("Human-readable explanation of the pod's state.")),
        ("reason", S.String("Brief CamelCase reason for the pod's state, e.g. Evicted.")),
        ("nominatedNodeName", S.String("Node the pod will probably run on once preemption on it completes.")),
        ("hostIP", S.String("Primary IP of the node the pod is assigned to.")),
        // PodStatus.hostIPs: patch merge key ip, but x-kubernetes-list-type atomic.
        ("hostIPs", S.ListOf(IpAddress("An IP address of the node."), "IP addresses of the node, the first matching hostIP.")
            with { PatchStrategy = "merge", PatchMergeKey = "ip" }),
        ("podIP", S.String("Primary IP of the pod; empty until allocated.")),
        ("podIPs", MapList(IpAddress("An IP address of the pod."), "IP addresses of the pod, at most one per family; the first matches podIP.", "merge", "ip")),
        ("startTime", S.DateTime("When the kubelet acknowledged the pod, before its images were pulled.")),
        ("initContainerStatuses", S.ListOf(ContainerStatus, "Status of each init container.")),
        ("containerStatuses", S.ListOf(ContainerStatus, "Status of each application container.")),
        ("qosClass", S.Enum("Quality of service class derived from the resource requests and limits.", "Guaranteed", "Burstable", "BestEffort")),
        ("ephemeralContainerStatuses", S.ListOf(ContainerStatus, "Status of each ephemeral container.")),
        ("resize", S.String("Deprecated state of a requested in-place resize; see the PodResizePending and PodResizeInProgress conditions.")),
        ("resourceClaimStatuses", MapList(
            S.Object(
                "Name of the ResourceClaim created for one entry of spec.resourceClaims.",
                ("name", S.String("Entry of spec.resourceClaims this status is for.")),
                ("resourceClaimName", S.String("Name of the generated ResourceClaim; unset when none was needed.")))
                .Require("name"),
            "ResourceClaims generated for the pod.",
            "merge,retainKeys",
            "name")),
        ("extendedResourceClaimStatus", S.Object(
            "The ResourceClaim created for the pod's extended resource requests.",
            ("requestMappings", S.ListOf(
                S.Object(
                    "Maps a container's extended resource to a request of the claim.",
                    ("containerName", S.String("Container with the request.")),
                    ("resourceName", S.String("Extended resource name.")),
                    ("requestName", S.String("Request in the claim.")))
                    .Require("containerName", "resourceName", "requestName"),
                "Mapping of container resources to claim requests.")),
            ("resourceClaimName", S.String("Name of the claim.")))
            .Require("requestMappings", "resourceClaimName")),
        ("allocatedResources", ResourceList("Resources allocated to the pod as a whole.")),
        ("resources", ResourceRequirements.Describe("Resources actually applied to the pod as a whole.")),
        ("nodeAllocatableResourceClaimStatuses", MapList(
            S.Object(
                "Node allocatable resources mapped from one resource claim.",
                ("resourceClaimName", S.String("Claim the resources come from.")),
                ("containers", S.SetOf(S.String(), "Containers using the claim.") with { PatchStrategy = null }),
                ("mapping", MapList(
                    S.Object(
                        "One node resource and its quantity.",
                        ("name", S.String("Resource name.")),
                        ("quantity", S.Quantity("Quantity mapped.")))
                        .Require("name", "quantity"),
                    "Node resources mapped from the claim.",
                    "merge",
                    "name")),
                ("overhead", MapList(
                    S.Object(
                        "Overhead of one node resource.",
                        ("name", S.String("Resource name.")),
                        ("perPod", S.Quantity("Overhead per pod.")),
                        ("perContainer", S.Quantity("Overhead per container.")))
                        .Require("name"),
                    "Overheads added for the claim.",
                    "merge",
                    "name")))
                .Require("resourceClaimName"),
            "Node allocatable resources derived from resource claims.",
            "merge",
            "resourceClaimName")),
        ("volumeHealth", MapList(
            S.Object(
                "Health of one volume of the pod.",
                ("name", S.String("Volume name.")),
                ("healthConditions", MapList(VolumeHealthCondition, "Abnormal conditions of the volume.", "merge", "status", "reason")),
                ("lastTransitionTime", S.DateTime("When the health last changed.")))
                .Require("name"),
            "Health of the pod's volumes as reported by their drivers.",
            patchStrategy: null,
            "name")));

    /// <summary>core/v1 ContainerStatus: the observed state of one container.</summary>
    public static SchemaNode ContainerStatus => field ??= S.Object(
        "Observed state of one container.",
        ("name", S.String("Name of the container, as in the spec.")),
        ("state", ContainerState.Describe("Current state of the container.")),
        ("lastState", ContainerState.Describe("State of the previous run, usually its termination.")),
        ("ready", S.Boolean("Whether the container passes its readiness probe.")),
        ("restartCount", S.Int32("Times the container has been restarted.")),
        ("image", S.String("Image the container runs.")),
        ("imageID", S.String("Resolved ID of the image, usually a digest.")),
        ("containerID", S.String("Runtime ID of the container, as <type>://<id>.")),
        ("started", S.Boolean("Whether the container has passed its startup probe.")),
        ("allocatedResources", ResourceList("Resources allocated to the container by the node.")),
        ("resources", ResourceRequirements.Describe("Resources actually applied to the running container.")),
        ("volumeMounts", MapList(
            S.Object(
                "A mounted volume.",
                ("name", S.String("Volume name.")),
                ("mountPath", S.String("Path of the mount in the container.")),
                ("readOnly", S.Boolean("Whether the mount is read-only.")),
                ("recursiveReadOnly", S.String("Whether read-only applies recursively: Disabled or Enabled.")),
                ("volumeStatus", S.Object(
                    "Source-specific status of the volume.",
                    ("image", S.Object(
                        "Status of an image volume.",
                        ("imageRef", S.String("Digest of the image mounted.")))
                        .Require("imageRef")))))
                .Require("name", "mountPath"),
            "Volumes as actually mounted.",
            "merge",
            "mountPath")),
        ("user", S.Object(
            "Identity of the container's first process.",
            ("linux", S.Object(
                "Linux identity.",
                ("uid", S.Int64("User ID.")),
                ("gid", S.Int64("Primary group ID.")),
                ("supplementalGroups", S.ListOf(S.Int64(), "Supplemental group IDs.")))
                .Require("uid", "gid")))),
        ("allocatedResourcesStatus", MapList(
            S.Object(
                "Health of the devices backing one allocated resource.",
                ("name", S.String("Resource name, e.g. a device plugin resource or claim:<claim>/<request>.")),
                ("resources", MapList(
                    S.Object(
                        "Health of one device.",
                        ("resourceID", S.String("Device ID.")),
                        ("health", S.Enum("Device health.", "Healthy", "Unhealthy", "Unknown")),
                        ("message", S.String("Details of the health."))),
                    "Devices and their health.",
                    patchStrategy: null,
                    "resourceID")))
                .Require("name"),
            "Health of the resources allocated to the container.",
            "merge",
            "name")),
        ("stopSignal", S.String("Signal that will be sent to stop the container.")))
        .Require("name", "ready", "restartCount", "image", "imageID");

    /// <summary>core/v1 PodCondition: one condition of status.conditions.</summary>
    public static SchemaNode PodCondition => field ??= S.Object(
        "One aspect of the pod's state, e.g. Ready or PodScheduled.",
        ("type", S.String("Condition type: PodScheduled, Initialized, ContainersReady, Ready, ...")),
        ("observedGeneration", S.Int64("metadata.generation the condition was computed from.")),
        ("status", S.Enum("Whether the condition holds.", "True", "False", "Unknown")),
        ("lastProbeTime", S.DateTime("When the condition was last checked.")),
        ("lastTransitionTime", S.DateTime("When status last changed.")),
        ("reason", S.String("CamelCase reason for the last transition.")),
        ("message", S.String("Human-readable details of the last transition.")))
        .Require("type", "status");

    private static SchemaNode ContainerState => field ??= S.Object(
        "State of a container; at most one field is set, waiting when none is.",
        ("waiting", S.Object(
            "The container is not yet running.",
            ("reason", S.String("Why it is waiting, e.g. ContainerCreating or CrashLoopBackOff.")),
            ("message", S.String("Details of why it is waiting.")))),
        ("running", S.Object(
            "The container is running.",
            ("startedAt", S.DateTime("When it last (re)started.")))),
        ("terminated", S.Object(
            "The container ran and exited.",
            ("exitCode", S.Int32("Exit status of the last run.")),
            ("signal", S.Int32("Signal that ended the last run.")),
            ("reason", S.String("Why it exited, e.g. Completed, Error or OOMKilled.")),
            ("message", S.String("Details of the exit.")),
            ("startedAt", S.DateTime("When the run started.")),
            ("finishedAt", S.DateTime("When the run ended.")),
            ("containerID", S.String("Runtime ID of the run, as <type>://<id>.")))
            .Require("exitCode")));

    private static SchemaNode VolumeHealthCondition => field ??= S.Object(
        "An abnormal condition of a volume.",
        ("status", S.String("Health status reported by the driver.")),
        ("reason", S.String("Machine-readable reason.")),
        ("message", S.String("Human-readable details.")))
        .Require("status", "reason");

    private static SchemaNode IpAddress(string description) => S.Object(
        description,
        ("ip", S.String("The IP address.")))
        .Require("ip");
}
