using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>core/v1 Node: a machine pods run on, registered and kept up to date by its kubelet (here, the edge agent).</summary>
public static class NodeKind
{
    private const string RoleLabelPrefix = "node-role.kubernetes.io/";

    /// <summary>core/v1 Taint: repels pods that do not tolerate it.</summary>
    public static SchemaNode Taint { get; } = Schemas.Object(
        "A mark that keeps pods without a matching toleration away.",
        ("key", Schemas.String("Taint key.")),
        ("value", Schemas.String("Taint value.")),
        ("effect", Schemas.Enum("What happens to pods that do not tolerate it: NoSchedule, PreferNoSchedule or NoExecute.", "NoSchedule", "PreferNoSchedule", "NoExecute")),
        ("timeAdded", Schemas.DateTime("When a NoExecute taint was added.")))
        .Require("key", "effect");

    private static SchemaNode ConfigSource { get; } = Schemas.Object(
        "Where the kubelet's dynamic configuration came from (feature removed; kept for old objects).",
        ("configMap", Schemas.Object(
            "A ConfigMap holding kubelet configuration.",
            ("namespace", Schemas.String("Namespace of the ConfigMap.")),
            ("name", Schemas.String("Name of the ConfigMap.")),
            ("uid", Schemas.String("UID of the ConfigMap.")),
            ("resourceVersion", Schemas.String("Resource version of the ConfigMap.")),
            ("kubeletConfigKey", Schemas.String("Key of the ConfigMap holding the configuration.")))
            .Require("namespace", "name", "kubeletConfigKey")));

    /// <summary>The node spec.</summary>
    public static SchemaNode Spec { get; } = Schemas.Object(
        "How the node should be used.",
        ("podCIDR", Schemas.String("IP range for pods on this node.")),
        ("podCIDRs", Schemas.SetOf(Schemas.String(), "IP ranges for pods on this node, at most one per IP family; the first equals podCIDR.")),
        ("providerID", Schemas.String("The machine's ID at its cloud provider: <provider>://<id>.")),
        ("unschedulable", Schemas.Boolean("When true (cordoned), new pods are not scheduled here.")),
        ("taints", Schemas.ListOf(Taint, "Taints on the node.")),
        ("configSource", ConfigSource.Describe("Deprecated: dynamic kubelet configuration source; no longer used.")),
        ("externalID", Schemas.String("Deprecated: not used.")));

    private static SchemaNode NodeInfo { get; } = Schemas.Object(
        "Facts about the machine and its software.",
        ("machineID", Schemas.String("The machine-id of the host.")),
        ("systemUUID", Schemas.String("The system UUID reported by the firmware.")),
        ("bootID", Schemas.String("ID of the current boot.")),
        ("kernelVersion", Schemas.String("Kernel version, as uname -r reports it.")),
        ("osImage", Schemas.String("Operating system name, as /etc/os-release reports it.")),
        ("containerRuntimeVersion", Schemas.String("Container runtime and version, e.g. containerd://1.7.0.")),
        ("kubeletVersion", Schemas.String("Kubelet version.")),
        ("kubeProxyVersion", Schemas.String("Deprecated: kube-proxy version; not reliable.")),
        ("operatingSystem", Schemas.String("Operating system, as GOOS names it.")),
        ("architecture", Schemas.String("CPU architecture, as GOARCH names it.")),
        ("swap", Schemas.Object("Swap on the node.", ("capacity", Schemas.Int64("Swap size in bytes.")))))
        .Require("machineID", "systemUUID", "bootID", "kernelVersion", "osImage", "containerRuntimeVersion", "kubeletVersion", "kubeProxyVersion", "operatingSystem", "architecture");

    private static SchemaNode ConfigStatus { get; } = Schemas.Object(
        "State of dynamic kubelet configuration (feature removed; kept for old objects).",
        ("assigned", ConfigSource.Describe("Configuration the node was told to use.")),
        ("active", ConfigSource.Describe("Configuration the node is using.")),
        ("lastKnownGood", ConfigSource.Describe("Configuration the node falls back to.")),
        ("error", Schemas.String("Problem applying the configuration.")));

    /// <summary>The node status, reported by its kubelet.</summary>
    public static SchemaNode Status { get; } = Schemas.Object(
        "What the node is now.",
        ("capacity", Schemas.MapOf(Schemas.Quantity(), "Total resources of the node: cpu, memory, pods, ...")),
        ("allocatable", Schemas.MapOf(Schemas.Quantity(), "Resources available to pods after system reservations.")),
        ("phase", Schemas.Enum("Deprecated: lifecycle phase; not set.", "Pending", "Running", "Terminated")),
        ("conditions", ConditionSchemas.Keyed(
            ConditionSchemas.Condition("One aspect of the node's health: Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable.", "lastHeartbeatTime", "lastTransitionTime"),
            "Latest observations about the node.")),
        ("addresses", Schemas.KeyedList(
            Schemas.Object(
                "One address of the node.",
                ("type", Schemas.String("Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.")),
                ("address", Schemas.String("The address.")))
                .Require("type", "address"),
            "type",
            "Addresses of the node.")),
        ("daemonEndpoints", Schemas.Object(
            "Ports of daemons on the node.",
            ("kubeletEndpoint", Schemas.Object(
                "The kubelet's endpoint.",
                ("Port", Schemas.Int32("Port the kubelet listens on.")))
                .Require("Port")))),
        ("nodeInfo", NodeInfo),
        ("images", Schemas.ListOf(
            Schemas.Object(
                "A container image present on the node.",
                ("names", Schemas.ListOf(Schemas.String(), "Names the image is known by.")),
                ("sizeBytes", Schemas.Int64("Image size in bytes."))),
            "Container images on the node.")),
        ("volumesInUse", Schemas.ListOf(Schemas.String(), "Volumes attached and mounted on the node.")),
        ("volumesAttached", Schemas.ListOf(
            Schemas.Object(
                "A volume attached to the node.",
                ("name", Schemas.String("Name of the attached volume.")),
                ("devicePath", Schemas.String("Device path where the volume should be available.")))
                .Require("name", "devicePath"),
            "Volumes attached to the node.")),
        ("config", ConfigStatus),
        ("runtimeHandlers", Schemas.ListOf(
            Schemas.Object(
                "A runtime handler (RuntimeClass handler) the container runtime offers.",
                ("name", Schemas.String("Handler name; empty for the default handler.")),
                ("features", Schemas.Object(
                    "Features the handler supports.",
                    ("recursiveReadOnlyMounts", Schemas.Boolean("Whether recursive read-only mounts are supported.")),
                    ("userNamespaces", Schemas.Boolean("Whether user namespaces are supported, volumes included."))))),
            "Runtime handlers available on the node.")),
        ("features", Schemas.Object(
            "Features the node supports.",
            ("supplementalGroupsPolicy", Schemas.Boolean("Whether pods' supplementalGroupsPolicy is honoured.")))));

    /// <summary>The Node kind.</summary>
    public static KindDefinition Definition { get; } = new()
    {
        Group = "",
        Version = "v1",
        Kind = "Node",
        Plural = "nodes",
        Singular = "node",
        Namespaced = false,
        ShortNames = ["no"],
        Subresources = ["status"],
        Schema = MetaSchemas.KindObject(
            "A machine that runs pods.",
            ("spec", Spec),
            ("status", Status)),
        PrinterColumns =
        [
            new() { Name = "Status", Description = "The status of the node.", Cell = (obj, _) => StatusText(obj) },
            new() { Name = "Roles", Description = "The roles of the node.", Cell = (obj, _) => Roles(obj) },
            TableCells.AgeColumn,
            new() { Name = "Version", Description = "Kubelet version.", Cell = (obj, _) => TableCells.Text(obj, "status", "nodeInfo", "kubeletVersion") ?? "" },
            new() { Name = "Internal-IP", Priority = 1, Description = "First InternalIP address.", Cell = (obj, _) => Address(obj, "InternalIP") },
            new() { Name = "External-IP", Priority = 1, Description = "First ExternalIP address.", Cell = (obj, _) => Address(obj, "ExternalIP") },
            new() { Name = "OS-Image", Priority = 1, Description = "Operating system name.", Cell = (obj, _) => Info(obj, "osImage") },
            new() { Name = "Kernel-Version", Priority = 1, Description = "Kernel version.", Cell = (obj, _) => Info(obj, "kernelVersion") },
            new() { Name = "Container-Runtime", Priority = 1, Description = "Container runtime and version.", Cell = (obj, _) => Info(obj, "containerRuntimeVersion") },
        ],
    };

    // printNode looks only at the Ready condition: "Ready" when True, "NotReady" for False or Unknown, "Unknown"
    // when the kubelet never reported it; a cordoned node adds ",SchedulingDisabled".
    private static string StatusText(JsonObject node)
    {
        var status = TableCells.ConditionStatus(node, "Ready", "status", "conditions") switch
        {
            null => "Unknown",
            "True" => "Ready",
            _ => "NotReady",
        };
        return TableCells.Flag(node, "spec", "unschedulable") ? status + ",SchedulingDisabled" : status;
    }

    // findNodeRoles: every node-role.kubernetes.io/<role> label key, and the value of the older kubernetes.io/role
    // label, sorted and deduplicated.
    private static string Roles(JsonObject node)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        if (TableCells.At(node, "metadata", "labels") is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                if (key.StartsWith(RoleLabelPrefix, StringComparison.Ordinal))
                {
                    if (key.Length > RoleLabelPrefix.Length)
                    {
                        roles.Add(key[RoleLabelPrefix.Length..]);
                    }
                }
                else if (key == "kubernetes.io/role" && TableCells.Text(value) is { Length: > 0 } role)
                {
                    roles.Add(role);
                }
            }
        }

        return roles.Count == 0 ? TableCells.None : string.Join(',', roles);
    }

    private static string Address(JsonObject node, string type) =>
        TableCells.Objects(node, "status", "addresses").FirstOrDefault(a => TableCells.Text(a, "type") == type) is { } address
            ? TableCells.Text(address, "address") ?? TableCells.None
            : TableCells.None;

    private static string Info(JsonObject node, string field) =>
        TableCells.Text(node, "status", "nodeInfo", field) is { Length: > 0 } text ? text : TableCells.Unknown;
}
