using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;
using S = EdgeCloud.Kube.Schema.Schemas;

namespace EdgeCloud.Kube.Kinds;

/// <summary>
/// The core/v1 Pod kind and the schemas other kinds embed from it (PodSpec, PodTemplateSpec, Container, Volume, ...),
/// covering every field of the Kubernetes API so that strict validation accepts real manifests.
/// </summary>
/// <remarks>
/// Every member is built on first use (<c>field ??=</c>) rather than in a static initializer: the class is split
/// over several files, and C# leaves the order of static initializers across partial declarations unspecified.
/// Building a node twice in a race is harmless because nodes are immutable.
/// </remarks>
public static partial class PodSchemas
{
    /// <summary>core/v1 Pod: the kind definition served at /api/v1/namespaces/{namespace}/pods.</summary>
    /// <remarks>
    /// Unlike the schema nodes below, the definition must be one instance for everyone (callers compare kinds, and
    /// record equality over two separately built schemas fails): published once, even when first read in a race.
    /// </remarks>
    public static KindDefinition Pod => LazyInitializer.EnsureInitialized(ref field, BuildPod);

    private static KindDefinition BuildPod() => new()
    {
        Group = "",
        Version = "v1",
        Kind = "Pod",
        Plural = "pods",
        Singular = "pod",
        Namespaced = true,
        ShortNames = ["po"],
        Categories = ["all"],
        // The pod subresources kube-apiserver registers (pkg/registry/core/pod/storage): resize since 1.33.
        Subresources = ["status", "binding", "eviction", "log", "exec", "attach", "portforward", "proxy", "ephemeralcontainers", "resize"],
        Defaulting = PodDefaults.ApplyToPod,
        CreateAdmission = PodDefaults.AdmitPodCreate,
        Schema = MetaSchemas.KindObject(
            "A group of containers scheduled together onto one node, sharing network and storage.",
            ("spec", PodSpec),
            ("status", PodStatus)),
        PrinterColumns = PodColumns(),
    };

    /// <summary>core/v1 PodTemplateSpec: the pod template of workload controllers.</summary>
    public static SchemaNode PodTemplateSpec => field ??= S.Object(
        "Describes the pods a controller creates.",
        ("metadata", MetaSchemas.ObjectMeta.Describe("Metadata given to the created pods (labels, annotations).")),
        ("spec", PodSpec.Describe("Specification of the created pods.")));

    /// <summary>core/v1 PodSpec: the desired state of a pod.</summary>
    public static SchemaNode PodSpec => field ??= S.Object(
        "Desired state of a pod: its containers, volumes and scheduling and security settings.",
        // PodSpec.volumes: patchStrategy "merge,retainKeys" so that replacing a volume's source drops the old one.
        ("volumes", MapList(Volume, "Volumes that containers of the pod can mount.", "merge,retainKeys", "name")),
        ("initContainers", MapList(Container, "Containers run in order to completion before the app containers start; restartPolicy Always makes one a sidecar.", "merge", "name")),
        ("containers", MapList(Container, "Application containers of the pod; at least one.", "merge", "name")),
        ("ephemeralContainers", MapList(EphemeralContainer, "Debugging containers added through the ephemeralcontainers subresource.", "merge", "name")),
        // SetDefaults_PodSpec: restartPolicy Always, terminationGracePeriodSeconds 30, dnsPolicy ClusterFirst,
        // securityContext {}, schedulerName default-scheduler; SetDefaults_Pod: enableServiceLinks true.
        ("restartPolicy", S.Enum("Restart behaviour of the pod's containers.", "Always", "OnFailure", "Never").WithDefault(JsonValue.Create("Always"))),
        ("terminationGracePeriodSeconds", S.Int64("Seconds between the termination signal and the kill on deletion; 0 kills at once.").WithDefault(JsonValue.Create(30L))),
        ("activeDeadlineSeconds", S.Int64("Seconds after the pod starts before the kubelet fails it.")),
        ("dnsPolicy", S.Enum("How the pod's DNS is configured.", "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None").WithDefault(JsonValue.Create("ClusterFirst"))),
        ("nodeSelector", S.StringMap("Labels a node must carry for the pod to be scheduled on it.") with { AtomicMap = true }),
        ("serviceAccountName", S.String("Service account the pod runs as.")),
        ("serviceAccount", S.String("Deprecated alias of serviceAccountName.")),
        ("automountServiceAccountToken", S.Boolean("Whether the service account token is mounted automatically.")),
        ("nodeName", S.String("Node the pod is bound to; set by the scheduler, or directly to bypass it.")),
        ("hostNetwork", S.Boolean("Uses the node's network namespace; ports are then opened on the node.")),
        ("hostPID", S.Boolean("Uses the node's process ID namespace.")),
        ("hostIPC", S.Boolean("Uses the node's IPC namespace.")),
        ("shareProcessNamespace", S.Boolean("Shares one process namespace between all containers of the pod.")),
        ("securityContext", PodSecurityContext.WithDefault(new JsonObject())),
        ("imagePullSecrets", MapList(LocalObjectReference, "Secrets in the pod's namespace used to pull images.", "merge", "name")),
        ("hostname", S.String("Host name of the pod; defaults to the pod name.")),
        ("subdomain", S.String("Subdomain giving the pod the FQDN <hostname>.<subdomain>.<namespace>.svc.<cluster domain>.")),
        ("affinity", Affinity),
        ("schedulerName", S.String("Scheduler that places the pod.").WithDefault(JsonValue.Create("default-scheduler"))),
        ("tolerations", S.ListOf(Toleration, "Taints the pod tolerates.")),
        ("hostAliases", MapList(
            S.Object(
                "Extra /etc/hosts entry.",
                ("ip", S.String("IP address of the entry.")),
                ("hostnames", S.ListOf(S.String(), "Host names for the address.")))
                .Require("ip"),
            "Entries added to the pod's /etc/hosts.",
            "merge",
            "ip")),
        ("priorityClassName", S.String("PriorityClass giving the pod its priority.")),
        ("priority", S.Int32("Priority value, filled from priorityClassName by admission.")),
        ("dnsConfig", S.Object(
            "DNS settings merged into those generated from dnsPolicy.",
            ("nameservers", S.ListOf(S.String(), "DNS server addresses, at most 3 in total.")),
            ("searches", S.ListOf(S.String(), "Search domains.")),
            ("options", S.ListOf(
                S.Object(
                    "One resolver option.",
                    ("name", S.String("Option name.")),
                    ("value", S.String("Option value."))),
                "Resolver options; these override options of the same name from dnsPolicy.")))),
        ("readinessGates", S.ListOf(
            S.Object(
                "A pod condition that must be True for the pod to be ready.",
                ("conditionType", S.String("Type of the condition in status.conditions.")))
                .Require("conditionType"),
            "Extra conditions the pod's readiness depends on.")),
        ("runtimeClassName", S.String("RuntimeClass used to run the pod.")),
        ("enableServiceLinks", S.Boolean("Whether environment variables describing services are injected, docker-links style.").WithDefault(JsonValue.Create(true))),
        ("preemptionPolicy", S.Enum("Whether the pod may preempt lower-priority pods.", "PreemptLowerPriority", "Never")),
        ("overhead", ResourceList("Resources used by the pod sandbox on top of its containers, set from the RuntimeClass.")),
        // PodSpec.topologySpreadConstraints: listType map keyed by topologyKey and whenUnsatisfiable; patch merge key topologyKey.
        ("topologySpreadConstraints", MapList(TopologySpreadConstraint, "How matching pods spread over topology domains.", "merge", "topologyKey", "whenUnsatisfiable")),
        ("setHostnameAsFQDN", S.Boolean("Sets the kernel host name to the pod's FQDN.")),
        ("os", S.Object(
            "Operating system the pod is meant for; validation checks fields against it.",
            ("name", S.Enum("Operating system name.", "linux", "windows")))
            .Require("name")),
        ("hostUsers", S.Boolean("Uses the node's user namespace; false gives the pod its own.")),
        ("schedulingGates", MapList(
            S.Object(
                "A gate the pod waits on before scheduling.",
                ("name", S.String("Name of the gate.")))
                .Require("name"),
            "Gates that must all be removed before the scheduler considers the pod.",
            "merge",
            "name")),
        ("resourceClaims", MapList(
            S.Object(
                "A dynamically allocated resource the pod needs.",
                ("name", S.String("Name by which containers refer to the claim.")),
                ("resourceClaimName", S.String("Existing ResourceClaim to use.")),
                ("resourceClaimTemplateName", S.String("ResourceClaimTemplate from which a claim is created for the pod.")))
                .Require("name"),
            "Resource claims the pod's containers can use.",
            "merge,retainKeys",
            "name")),
        ("resources", ResourceRequirements.Describe("Resources of the pod as a whole; containers share them.")),
        ("hostnameOverride", S.String("Host name given to the pod instead of the one derived from hostname and subdomain.")),
        ("schedulingGroup", S.Object(
            "Workload scheduling group the pod belongs to.",
            ("podGroupName", S.String("Name of the pod group.")))),
        ("evictionResponders", MapList(
            S.Object(
                "A party that must act before the pod is evicted.",
                ("name", S.String("Prefixed name of the responder.")),
                ("priority", S.Int32("Order of the responder, 0-100000.")))
                .Require("name", "priority") with { AtomicMap = true },
            "Responders consulted by eviction requests.",
            "merge",
            "name")))
        .Require("containers");

    /// <summary>core/v1 PodSecurityContext: pod-wide security settings.</summary>
    public static SchemaNode PodSecurityContext => field ??= S.Object(
        "Security settings of the pod; container securityContext fields override them.",
        ("seLinuxOptions", SELinuxOptions),
        ("windowsOptions", WindowsSecurityContextOptions),
        ("runAsUser", S.Int64("UID the container processes run as.")),
        ("runAsGroup", S.Int64("Primary GID of the container processes.")),
        ("runAsNonRoot", S.Boolean("When true, the kubelet refuses to start containers as UID 0.")),
        ("supplementalGroups", S.ListOf(S.Int64(), "Extra GIDs added to the first process of each container.")),
        ("supplementalGroupsPolicy", S.Enum("How supplemental groups are computed.", "Merge", "Strict")),
        ("fsGroup", S.Int64("GID that owns volumes and is added to every container process.")),
        ("sysctls", S.ListOf(
            S.Object(
                "A kernel parameter.",
                ("name", S.String("Parameter name.")),
                ("value", S.String("Parameter value.")))
                .Require("name", "value"),
            "Namespaced kernel parameters set for the pod.")),
        ("fsGroupChangePolicy", S.Enum("When volume ownership is changed to fsGroup.", "OnRootMismatch", "Always")),
        ("seccompProfile", SeccompProfile),
        ("appArmorProfile", AppArmorProfile),
        ("seLinuxChangePolicy", S.String("How the SELinux label is applied to volumes: MountOption or Recursive.")));

    private static SchemaNode ReferentName => field ??= S.String("Name of the referent.");

    /// <summary>An x-kubernetes-list-type map list; the strategic merge key is the first list key.</summary>
    private static SchemaNode MapList(SchemaNode items, string description, string? patchStrategy, params string[] keys) =>
        S.ListOf(items, description) with
        {
            ListType = ListType.Map,
            ListMapKeys = keys,
            PatchStrategy = patchStrategy,
            PatchMergeKey = patchStrategy is null ? null : keys[0],
        };

    /// <summary>core/v1 ResourceList: resource name to quantity.</summary>
    private static SchemaNode ResourceList(string description) => S.MapOf(S.Quantity(), description);
}
