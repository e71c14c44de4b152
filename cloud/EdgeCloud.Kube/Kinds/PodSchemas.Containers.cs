using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;
using S = EdgeCloud.Kube.Schema.Schemas;

namespace EdgeCloud.Kube.Kinds;

public static partial class PodSchemas
{
    /// <summary>core/v1 Container: one application container of a pod (also the shape of init containers).</summary>
    public static SchemaNode Container => field ??= S.Object(
        "A single application container run inside a pod.",
        ContainerFields())
        .Require("name");

    /// <summary>core/v1 EphemeralContainer: a debugging container added to a running pod through the ephemeralcontainers subresource.</summary>
    public static SchemaNode EphemeralContainer => field ??= S.Object(
        "A temporary container added to a running pod for troubleshooting; never restarted and without resource guarantees.",
        [.. ContainerFields(), ("targetContainerName", S.String("Name of a container whose process namespace this container joins, when the runtime supports it."))])
        .Require("name");

    /// <summary>core/v1 ContainerPort: a network port a container listens on.</summary>
    public static SchemaNode ContainerPort => field ??= S.Object(
        "A network port exposed by a container.",
        ("name", S.String("IANA_SVC_NAME naming the port, unique in the pod; services can refer to it.")),
        ("hostPort", S.Int32("Port to open on the node and forward to containerPort; rarely needed.")),
        ("containerPort", S.Int32("Port number the container listens on, 1-65535.")),
        // SetDefaults_ContainerPort: an unset protocol becomes TCP.
        ("protocol", S.Enum("Transport protocol of the port.", "TCP", "UDP", "SCTP").WithDefault(JsonValue.Create("TCP"))),
        ("hostIP", S.String("Node address to bind hostPort to.")))
        .Require("containerPort");

    /// <summary>core/v1 EnvVar: one environment variable, a literal value or a reference.</summary>
    public static SchemaNode EnvVar => field ??= S.Object(
        "An environment variable set in the container.",
        ("name", S.String("Variable name.")),
        ("value", S.String("Literal value; $(VAR) references to earlier variables are expanded, $$ escapes.")),
        ("valueFrom", EnvVarSource))
        .Require("name");

    /// <summary>core/v1 EnvVarSource: where an environment variable's value comes from.</summary>
    public static SchemaNode EnvVarSource => field ??= S.Object(
        "Source of an environment variable's value; set exactly one field, and no value beside it.",
        ("fieldRef", ObjectFieldSelector),
        ("resourceFieldRef", ResourceFieldSelector),
        ("configMapKeyRef", S.Object(
            "Selects one key of a ConfigMap in the pod's namespace.",
            ("name", ReferentName),
            ("key", S.String("Key to read.")),
            ("optional", S.Boolean("Whether the ConfigMap or its key may be missing.")))
            .Require("key") with { AtomicMap = true }),
        ("secretKeyRef", S.Object(
            "Selects one key of a Secret in the pod's namespace.",
            ("name", ReferentName),
            ("key", S.String("Key to read.")),
            ("optional", S.Boolean("Whether the Secret or its key may be missing.")))
            .Require("key") with { AtomicMap = true }),
        ("fileKeyRef", S.Object(
            "Selects one key of an env-format file in an emptyDir volume of the pod.",
            ("volumeName", S.String("Name of the emptyDir volume holding the file.")),
            ("path", S.String("Path of the file within the volume; must not contain '..'.")),
            ("key", S.String("Key within the file whose value is used.")),
            ("optional", S.Boolean("Whether a missing file or key is tolerated.").WithDefault(JsonValue.Create(false))))
            .Require("volumeName", "path", "key") with { AtomicMap = true }));

    /// <summary>core/v1 ObjectFieldSelector: a field of the pod, for env and downward API files.</summary>
    public static SchemaNode ObjectFieldSelector => field ??= S.Object(
        "Selects a field of the pod, e.g. metadata.name, status.podIP, spec.nodeName.",
        // SetDefaults_ObjectFieldSelector: apiVersion defaults to v1.
        ("apiVersion", S.String("Schema version fieldPath is written in.").WithDefault(JsonValue.Create("v1"))),
        ("fieldPath", S.String("Path of the field to select.")))
        .Require("fieldPath") with { AtomicMap = true };

    /// <summary>core/v1 ResourceFieldSelector: a container's resource limit or request, for env and downward API files.</summary>
    public static SchemaNode ResourceFieldSelector => field ??= S.Object(
        "Selects a resource limit or request of a container, e.g. limits.cpu.",
        ("containerName", S.String("Container whose resources are read; required for volumes, optional for env.")),
        ("resource", S.String("Resource to select, e.g. requests.memory.")),
        ("divisor", S.Quantity("Unit the value is expressed in; defaults to 1.")))
        .Require("resource") with { AtomicMap = true };

    /// <summary>core/v1 EnvFromSource: imports every key of a ConfigMap or Secret as environment variables.</summary>
    public static SchemaNode EnvFromSource => field ??= S.Object(
        "Imports all keys of a ConfigMap or Secret as environment variables.",
        ("prefix", S.String("Prefix added to every imported variable name.")),
        ("configMapRef", S.Object(
            "The ConfigMap to import.",
            ("name", ReferentName),
            ("optional", S.Boolean("Whether the ConfigMap may be missing.")))),
        ("secretRef", S.Object(
            "The Secret to import.",
            ("name", ReferentName),
            ("optional", S.Boolean("Whether the Secret may be missing.")))));

    /// <summary>core/v1 ResourceRequirements: limits, requests and claims of a container or pod.</summary>
    public static SchemaNode ResourceRequirements => field ??= S.Object(
        "Compute resources required and allowed.",
        ("limits", ResourceList("Most of each resource that may be used.")),
        ("requests", ResourceList("Least of each resource required; defaults to limits when only limits are set.")),
        ("claims", MapList(
            S.Object(
                "Names one resource claim of the pod to make available to this container.",
                ("name", S.String("Name of an entry in the pod's spec.resourceClaims.")),
                ("request", S.String("Name of one request in the claim; empty makes the whole claim available.")))
                .Require("name"),
            "Dynamically allocated resources from spec.resourceClaims this container uses.",
            patchStrategy: null,
            "name")));

    /// <summary>core/v1 Probe: a periodic health check of a container.</summary>
    public static SchemaNode Probe => field ??= S.Object(
        "A diagnostic run against a container to decide whether it is alive, ready or started.",
        [
            .. ProbeHandlerFields(),
            ("initialDelaySeconds", S.Int32("Seconds after the container starts before the first probe.")),
            // SetDefaults_Probe fills timeoutSeconds 1, periodSeconds 10, successThreshold 1, failureThreshold 3.
            ("timeoutSeconds", S.Int32("Seconds after which one probe times out.").WithDefault(JsonValue.Create(1))),
            ("periodSeconds", S.Int32("Seconds between probes.").WithDefault(JsonValue.Create(10))),
            ("successThreshold", S.Int32("Consecutive successes needed after a failure; must be 1 for liveness and startup.").WithDefault(JsonValue.Create(1))),
            ("failureThreshold", S.Int32("Consecutive failures after which the probe is considered failed.").WithDefault(JsonValue.Create(3))),
            ("terminationGracePeriodSeconds", S.Int64("Grace period used when a failed probe kills the container; overrides the pod's.")),
        ]);

    /// <summary>core/v1 Lifecycle: hooks run after a container starts and before it stops.</summary>
    public static SchemaNode Lifecycle => field ??= S.Object(
        "Actions the kubelet runs on container lifecycle events.",
        ("postStart", LifecycleHandler.Describe("Runs right after the container is created; a failure restarts it per the restart policy.")),
        ("preStop", LifecycleHandler.Describe("Runs before the container is terminated; the grace period keeps counting meanwhile.")),
        ("stopSignal", S.String("Signal sent to stop the container, e.g. SIGTERM; overrides the image's STOPSIGNAL.")));

    /// <summary>core/v1 SecurityContext: security settings of one container.</summary>
    public static SchemaNode SecurityContext => field ??= S.Object(
        "Security options of a container; they override the pod's securityContext where both are set.",
        ("capabilities", S.Object(
            "Linux capabilities to add to or drop from the runtime's default set.",
            ("add", S.ListOf(S.String(), "Capabilities added.")),
            ("drop", S.ListOf(S.String(), "Capabilities removed.")))),
        ("privileged", S.Boolean("Runs the container as privileged, equivalent to root on the host.")),
        ("seLinuxOptions", SELinuxOptions),
        ("windowsOptions", WindowsSecurityContextOptions),
        ("runAsUser", S.Int64("UID the container process runs as.")),
        ("runAsGroup", S.Int64("Primary GID of the container process.")),
        ("runAsNonRoot", S.Boolean("When true, the kubelet refuses to start the container as UID 0.")),
        ("readOnlyRootFilesystem", S.Boolean("Mounts the container's root filesystem read-only.")),
        ("allowPrivilegeEscalation", S.Boolean("Whether a process can gain more privileges than its parent (no_new_privs).")),
        ("procMount", S.Enum("Kind of /proc mount to use.", "Default", "Unmasked")),
        ("seccompProfile", SeccompProfile),
        ("appArmorProfile", AppArmorProfile));

    /// <summary>core/v1 VolumeMount: a volume mounted into a container's filesystem.</summary>
    public static SchemaNode VolumeMount => field ??= S.Object(
        "Mounts a pod volume into the container.",
        ("name", S.String("Name of the pod volume to mount.")),
        ("readOnly", S.Boolean("Mounts read-only when true.")),
        ("recursiveReadOnly", S.Enum("Whether a read-only mount is also read-only for its submounts.", "Disabled", "IfPossible", "Enabled")),
        ("mountPath", S.String("Path in the container where the volume appears; must not contain ':'.")),
        ("subPath", S.String("Path inside the volume to mount instead of its root.")),
        ("mountPropagation", S.Enum("How mounts propagate between host and container.", "None", "HostToContainer", "Bidirectional")),
        ("subPathExpr", S.String("Like subPath but with $(VAR) expansion from the container's environment.")),
        ("bindMountOptions", S.SetOf(S.String(), "Extra options passed to the bind mount.") with { PatchStrategy = null }))
        .Require("name", "mountPath");

    /// <summary>core/v1 VolumeDevice: a raw block volume exposed as a device in the container.</summary>
    public static SchemaNode VolumeDevice => field ??= S.Object(
        "Maps a raw block volume to a device path in the container.",
        ("name", S.String("Name of a persistentVolumeClaim volume of the pod.")),
        ("devicePath", S.String("Path in the container where the device appears.")))
        .Require("name", "devicePath");

    /// <summary>core/v1 SeccompProfile: the seccomp filter of a pod or container.</summary>
    public static SchemaNode SeccompProfile => field ??= S.Object(
        "Seccomp profile applied to the process.",
        ("type", S.Enum("Which profile to use.", "Localhost", "RuntimeDefault", "Unconfined")),
        ("localhostProfile", S.String("Path of a profile file under the kubelet's seccomp directory; only for type Localhost.")))
        .Require("type");

    /// <summary>core/v1 AppArmorProfile: the AppArmor profile of a pod or container.</summary>
    public static SchemaNode AppArmorProfile => field ??= S.Object(
        "AppArmor profile applied to the process.",
        ("type", S.Enum("Which profile to use.", "Localhost", "RuntimeDefault", "Unconfined")),
        ("localhostProfile", S.String("Name of a profile loaded on the node; only for type Localhost.")))
        .Require("type");

    /// <summary>core/v1 SELinuxOptions: the SELinux label applied to a pod or container.</summary>
    public static SchemaNode SELinuxOptions => field ??= S.Object(
        "SELinux label applied to the process; unset parts come from the runtime.",
        ("user", S.String("SELinux user of the label.")),
        ("role", S.String("SELinux role of the label.")),
        ("type", S.String("SELinux type of the label.")),
        ("level", S.String("SELinux level of the label.")));

    /// <summary>core/v1 WindowsSecurityContextOptions: Windows-specific process options.</summary>
    public static SchemaNode WindowsSecurityContextOptions => field ??= S.Object(
        "Options for Windows containers.",
        ("gmsaCredentialSpecName", S.String("Name of the GMSA credential spec resource to use.")),
        ("gmsaCredentialSpec", S.String("Inline GMSA credential spec, filled in by the GMSA admission webhook.")),
        ("runAsUserName", S.String("Windows user name the entrypoint runs as.")),
        ("hostProcess", S.Boolean("Runs the container as a host process with access to the node.")));

    private static SchemaNode LifecycleHandler => field ??= S.Object(
        "An action run on a lifecycle event; set exactly one of exec, httpGet, tcpSocket or sleep.",
        ("exec", ExecAction),
        ("httpGet", HttpGetAction),
        ("tcpSocket", TcpSocketAction.Describe("Deprecated for lifecycle hooks and kept for compatibility; not run.")),
        ("sleep", S.Object(
            "Pauses for a while.",
            ("seconds", S.Int64("Seconds to sleep.")))
            .Require("seconds")));

    private static SchemaNode ExecAction => field ??= S.Object(
        "Runs a command inside the container; exit status 0 is success.",
        ("command", S.ListOf(S.String(), "Command line, executed directly without a shell.")));

    private static SchemaNode HttpGetAction => field ??= S.Object(
        "Performs an HTTP GET; a status from 200 to 399 is success.",
        // SetDefaults_HTTPGetAction: path "/" and scheme HTTP when unset.
        ("path", S.String("Path to request.").WithDefault(JsonValue.Create("/"))),
        ("port", S.IntOrString("Port number or name of the container port to connect to.")),
        ("host", S.String("Host to connect to; defaults to the pod IP. Prefer a Host header instead.")),
        ("scheme", S.Enum("Scheme to connect with.", "HTTP", "HTTPS").WithDefault(JsonValue.Create("HTTP"))),
        ("httpHeaders", S.ListOf(
            S.Object(
                "One HTTP header.",
                ("name", S.String("Header name; normalized on output.")),
                ("value", S.String("Header value.")))
                .Require("name", "value"),
            "Custom headers to send; repeated headers are allowed.")),
        ("protocol", S.Enum("HTTP version used for the probe.", "HTTP", "H2C")))
        .Require("port");

    private static SchemaNode TcpSocketAction => field ??= S.Object(
        "Opens a TCP connection; success when it connects.",
        ("port", S.IntOrString("Port number or name of the container port to connect to.")),
        ("host", S.String("Host to connect to; defaults to the pod IP.")))
        .Require("port");

    private static (string Name, SchemaNode Node)[] ProbeHandlerFields() =>
    [
        ("exec", ExecAction),
        ("httpGet", HttpGetAction),
        ("tcpSocket", TcpSocketAction),
        ("grpc", S.Object(
            "Calls the gRPC health checking protocol.",
            ("port", S.Int32("Port number of the gRPC service, 1-65535.")),
            // +default="" upstream: the service name of the overall server health.
            ("service", S.String("Service name sent in the HealthCheckRequest; empty checks the server as a whole.").WithDefault(JsonValue.Create(""))),
            ("mode", S.String("Transport security used to connect to the gRPC service.")))
            .Require("port")),
    ];

    private static (string Name, SchemaNode Node)[] ContainerFields() =>
    [
        ("name", S.String("Name of the container, a DNS label unique in the pod.")),
        ("image", S.String("Container image reference; controllers may leave it for templates to fill.")),
        ("command", S.ListOf(S.String(), "Entrypoint array replacing the image's ENTRYPOINT; $(VAR) is expanded, not run in a shell.")),
        ("args", S.ListOf(S.String(), "Arguments replacing the image's CMD; $(VAR) is expanded.")),
        ("workingDir", S.String("Working directory of the process; defaults to the image's.")),
        // Container.ports: listType map keyed by containerPort and protocol; strategic merge keys on containerPort alone.
        ("ports", MapList(ContainerPort, "Ports the container exposes; informational except for hostPort.", "merge", "containerPort", "protocol")),
        ("envFrom", S.ListOf(EnvFromSource, "Sources whose keys become environment variables; explicit env entries win.")),
        ("env", MapList(EnvVar, "Environment variables set in the container.", "merge", "name")),
        ("resources", ResourceRequirements),
        ("resizePolicy", S.ListOf(
            S.Object(
                "How the container reacts when one resource is resized in place.",
                ("resourceName", S.String("Resource this policy applies to: cpu or memory.")),
                ("restartPolicy", S.Enum("Whether resizing needs a container restart.", "NotRequired", "RestartContainer")))
                .Require("resourceName", "restartPolicy"),
            "Resize behaviour per resource.")),
        ("restartPolicy", S.Enum("Restart behaviour of this container; Always makes an init container a sidecar.", "Always", "OnFailure", "Never")),
        ("restartPolicyRules", S.ListOf(
            S.Object(
                "A rule deciding whether to restart the container after it exits.",
                ("action", S.Enum("What to do when the rule matches.", "Restart")),
                ("exitCodes", S.Object(
                    "Exit codes the rule matches.",
                    ("operator", S.Enum("How the exit code relates to the values.", "In", "NotIn")),
                    ("values", S.SetOf(S.Int32(), "Exit codes compared with.") with { PatchStrategy = null }))
                    .Require("operator")))
                .Require("action"),
            "Rules evaluated in order on exit before the container restartPolicy applies.")),
        ("volumeMounts", MapList(VolumeMount, "Pod volumes mounted into the container's filesystem.", "merge", "mountPath")),
        ("volumeDevices", MapList(VolumeDevice, "Block volumes exposed as devices.", "merge", "devicePath")),
        ("livenessProbe", Probe.Describe("Periodic check that the container is alive; failures restart it.")),
        ("readinessProbe", Probe.Describe("Periodic check that the container can serve; failures remove it from service endpoints.")),
        ("startupProbe", Probe.Describe("Check that the container finished starting; other probes wait until it succeeds.")),
        ("lifecycle", Lifecycle),
        // SetDefaults_Container: terminationMessagePath /dev/termination-log, terminationMessagePolicy File.
        ("terminationMessagePath", S.String("File in the container whose contents become the termination message.").WithDefault(JsonValue.Create("/dev/termination-log"))),
        ("terminationMessagePolicy", S.Enum("Where the termination message comes from.", "File", "FallbackToLogsOnError").WithDefault(JsonValue.Create("File"))),
        // imagePullPolicy is defaulted by logic (Always for :latest or untagged images, else IfNotPresent), not a constant.
        ("imagePullPolicy", S.Enum("When the kubelet pulls the image.", "Always", "Never", "IfNotPresent")),
        ("securityContext", SecurityContext),
        ("stdin", S.Boolean("Allocates a stdin buffer for the container.")),
        ("stdinOnce", S.Boolean("Closes stdin after the first attach session ends.")),
        ("tty", S.Boolean("Allocates a TTY; needs stdin as well.")),
    ];
}
