using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;
using static EdgeCloud.Kube.Schema.Schemas;

namespace EdgeCloud.Kube.Kinds;

/// <summary>The core/v1 kinds other than Pod.</summary>
public static class CoreKinds
{
    /// <summary>core/v1 Namespace.</summary>
    public static KindDefinition Namespace { get; } = Core("Namespace", "namespaces", namespaced: false) with
    {
        ShortNames = ["ns"],
        Subresources = ["status", "finalize"],
        NameRule = ObjectNameRule.DnsLabel,
        Schema = MetaSchemas.KindObject(
            "A scope for names; deleting it deletes everything in it.",
            ("spec", Object("Desired state.", ("finalizers", ListOf(String(), "Finalizers that must run before the namespace is removed.")))),
            ("status", Object("Observed state.", ("phase", Enum("Active or Terminating.", "Active", "Terminating")), ("conditions", ListOf(Any("A namespace condition."), "Conditions."))))),
        PrinterColumns = [Columns.Text("Status", "Active or Terminating.", 0, "status", "phase"), Columns.Age],
    };

    /// <summary>core/v1 ConfigMap.</summary>
    public static KindDefinition ConfigMap { get; } = Core("ConfigMap", "configmaps") with
    {
        ShortNames = ["cm"],
        Schema = MetaSchemas.KindObject(
            "Configuration data for pods to consume.",
            ("data", StringMap("UTF-8 configuration values by key.")),
            ("binaryData", MapOf(Bytes(), "Binary values by key, base64 encoded.")),
            ("immutable", Boolean("When true, data cannot be changed."))),
        PrinterColumns = [new() { Name = "Data", Type = "integer", Description = "Number of keys.", Cell = static (o, _) => Columns.Count(o, "data") + Columns.Count(o, "binaryData") }, Columns.Age],
    };

    /// <summary>core/v1 Secret.</summary>
    public static KindDefinition Secret { get; } = Core("Secret", "secrets") with
    {
        Schema = MetaSchemas.KindObject(
            "Sensitive data for pods to consume.",
            ("data", MapOf(Bytes(), "Values by key, base64 encoded.")),
            ("stringData", StringMap("Write-only plain-text values, merged into data.")),
            ("type", String("How the data is used.").WithDefault("Opaque")),
            ("immutable", Boolean("When true, data cannot be changed."))),
        PrinterColumns =
        [
            Columns.Text("Type", "Secret type.", 0, "type"),
            new() { Name = "Data", Type = "integer", Description = "Number of keys.", Cell = static (o, _) => Columns.Count(o, "data") },
            Columns.Age,
        ],
    };

    /// <summary>core/v1 ServiceAccount.</summary>
    public static KindDefinition ServiceAccount { get; } = Core("ServiceAccount", "serviceaccounts") with
    {
        ShortNames = ["sa"],
        Subresources = ["token"],
        Schema = MetaSchemas.KindObject(
            "An identity for processes in pods.",
            ("secrets", ListOf(Any("A reference to a secret."), "Secrets the account may use.")),
            ("imagePullSecrets", ListOf(Object("A secret reference.", ("name", String("Secret name."))), "Secrets for pulling images.")),
            ("automountServiceAccountToken", Boolean("Whether pods mount a token by default."))),
        PrinterColumns = [new() { Name = "Secrets", Type = "integer", Description = "Number of secrets.", Cell = static (o, _) => Columns.Count(o, "secrets") }, Columns.Age],
    };

    /// <summary>core/v1 Node.</summary>
    public static KindDefinition Node { get; } = Core("Node", "nodes", namespaced: false) with
    {
        ShortNames = ["no"],
        Subresources = ["status", "proxy"],
        Schema = MetaSchemas.KindObject(
            "A machine that runs pods.",
            ("spec", Object(
                "Desired state.",
                ("podCIDR", String("Pod IP range of the node.")),
                ("podCIDRs", SetOf(String(), "Pod IP ranges.")),
                ("providerID", String("Provider-specific id.")),
                ("unschedulable", Boolean("When true, new pods are not scheduled here.")),
                ("taints", ListOf(Object("A taint.", ("key", String("Taint key.")), ("value", String("Taint value.")), ("effect", Enum("NoSchedule, PreferNoSchedule or NoExecute.", "NoSchedule", "PreferNoSchedule", "NoExecute")), ("timeAdded", DateTime("When added."))).Require("key", "effect"), "Taints.")))),
            ("status", Object(
                "Observed state.",
                ("conditions", KeyedList(Any("A node condition."), "type", "Node conditions.")),
                ("addresses", KeyedList(Object("An address.", ("type", String("Address type.")), ("address", String("The address."))), "type", "Addresses of the node.")),
                ("nodeInfo", Any("Versions and ids of the node.")),
                ("capacity", MapOf(Quantity(), "Total resources.")),
                ("allocatable", MapOf(Quantity(), "Resources for pods."))).Open())),
        PrinterColumns =
        [
            new() { Name = "Status", Description = "Ready, NotReady or Unknown, plus SchedulingDisabled.", Cell = static (o, _) => NodeStatus(o) },
            new() { Name = "Roles", Description = "Roles from node-role.kubernetes.io labels.", Cell = static (o, _) => NodeRoles(o) },
            Columns.Age,
            Columns.Text("Version", "Kubelet version.", 0, "status", "nodeInfo", "kubeletVersion"),
            new() { Name = "Internal-IP", Priority = 1, Description = "Internal address.", Cell = static (o, _) => Address(o, "InternalIP") },
            new() { Name = "External-IP", Priority = 1, Description = "External address.", Cell = static (o, _) => Address(o, "ExternalIP") },
            Columns.Text("OS-Image", "Operating system image.", 1, "status", "nodeInfo", "osImage"),
            Columns.Text("Kernel-Version", "Kernel version.", 1, "status", "nodeInfo", "kernelVersion"),
            Columns.Text("Container-Runtime", "Container runtime version.", 1, "status", "nodeInfo", "containerRuntimeVersion"),
        ],
    };

    /// <summary>core/v1 Service.</summary>
    public static KindDefinition Service { get; } = Core("Service", "services") with
    {
        ShortNames = ["svc"],
        Categories = ["all"],
        Subresources = ["status", "proxy"],
        NameRule = ObjectNameRule.Dns1035Label,
        Schema = MetaSchemas.KindObject(
            "A stable address for a set of pods.",
            ("spec", Object(
                "Desired state.",
                ("type", Enum("ClusterIP, NodePort, LoadBalancer or ExternalName.", "ClusterIP", "NodePort", "LoadBalancer", "ExternalName").WithDefault("ClusterIP")),
                ("selector", StringMap("Pods the service routes to.")),
                ("ports", KeyedList(Object(
                    "A service port.",
                    ("name", String("Port name.")),
                    ("protocol", Enum("TCP, UDP or SCTP.", "TCP", "UDP", "SCTP").WithDefault("TCP")),
                    ("appProtocol", String("Application protocol.")),
                    ("port", Int32("Port of the service.")),
                    ("targetPort", IntOrString("Port on the pods.")),
                    ("nodePort", Int32("Port on every node."))).Require("port"), "port", "Ports.") with { ListMapKeys = ["port", "protocol"] }),
                ("clusterIP", String("Virtual IP of the service.")),
                ("clusterIPs", ListOf(String(), "Virtual IPs.")),
                ("externalIPs", ListOf(String(), "Extra external addresses.")),
                ("externalName", String("DNS name for ExternalName services.")),
                ("sessionAffinity", Enum("None or ClientIP.", "None", "ClientIP").WithDefault("None"))).Open()),
            ("status", Any("Observed state."))),
        PrinterColumns =
        [
            Columns.Text("Type", "Service type.", 0, "spec", "type"),
            Columns.Text("Cluster-IP", "Virtual IP.", 0, "spec", "clusterIP"),
            new() { Name = "External-IP", Description = "External addresses.", Cell = static (o, _) => ServiceExternalIp(o) },
            new() { Name = "Port(s)", Description = "Ports.", Cell = static (o, _) => ServicePorts(o) },
            Columns.Age,
            new() { Name = "Selector", Priority = 1, Description = "Pod selector.", Cell = static (o, _) => o["spec"]?["selector"] is JsonObject s && s.Count > 0 ? string.Join(",", s.OrderBy(static p => p.Key, StringComparer.Ordinal).Select(static p => $"{p.Key}={p.Value}")) : "<none>" },
        ],
    };

    /// <summary>core/v1 Event.</summary>
    public static KindDefinition Event { get; } = Core("Event", "events") with
    {
        ShortNames = ["ev"],
        NameRule = ObjectNameRule.PathSegment,
        Schema = MetaSchemas.KindObject(
            "A report of something that happened to an object.",
            ("involvedObject", Any("The object the event is about.")),
            ("reason", String("Short machine-readable reason.")),
            ("message", String("Human-readable description.")),
            ("source", Any("Component reporting the event.")),
            ("firstTimestamp", DateTime("First occurrence.")),
            ("lastTimestamp", DateTime("Latest occurrence.")),
            ("count", Int32("Number of occurrences.")),
            ("type", String("Normal or Warning.")),
            ("eventTime", String("Time of the first occurrence, with microseconds.")),
            ("series", Any("Data about a series of events.")),
            ("action", String("What was done.")),
            ("related", Any("A second object involved.")),
            ("reportingComponent", String("Controller that emitted the event.")),
            ("reportingInstance", String("Instance of that controller."))),
        PrinterColumns =
        [
            new() { Name = "Last Seen", Description = "Time since the last occurrence.", Cell = static (o, now) => Columns.Read(o, "lastTimestamp") is not null ? Columns.AgeOf(o, now, "lastTimestamp") : Columns.AgeOf(o, now, "metadata", "creationTimestamp") },
            Columns.Text("Type", "Normal or Warning.", 0, "type"),
            Columns.Text("Reason", "Reason.", 0, "reason"),
            new() { Name = "Object", Description = "The object concerned.", Cell = static (o, _) => $"{Columns.Read(o, "involvedObject", "kind")?.ToLowerInvariant()}/{Columns.Read(o, "involvedObject", "name")}" },
            Columns.Text("Message", "Message.", 0, "message"),
        ],
    };

    private static KindDefinition Core(string kind, string plural, bool namespaced = true) => new()
    {
        Group = "",
        Version = "v1",
        Kind = kind,
        Plural = plural,
        Singular = kind.ToLowerInvariant(),
        Namespaced = namespaced,
        Schema = MetaSchemas.KindObject(kind),
    };

    private static string NodeStatus(JsonObject node)
    {
        var ready = (node["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(static c => Columns.Read(c, "type") == "Ready");
        var status = Columns.Read(ready ?? [], "status") switch { "True" => "Ready", "False" => "NotReady", _ => "Unknown" };
        return node["spec"]?["unschedulable"]?.GetValue<bool>() == true ? status + ",SchedulingDisabled" : status;
    }

    private static string NodeRoles(JsonObject node)
    {
        var labels = node["metadata"]?["labels"] as JsonObject ?? [];
        var roles = labels.Select(static l => l.Key).Where(static k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal)).Select(static k => k["node-role.kubernetes.io/".Length..]).Where(static r => r.Length > 0).Order(StringComparer.Ordinal).ToList();
        return roles.Count > 0 ? string.Join(",", roles) : "<none>";
    }

    private static string Address(JsonObject node, string type) =>
        (node["status"]?["addresses"] as JsonArray)?.OfType<JsonObject>().Where(a => Columns.Read(a, "type") == type).Select(static a => Columns.Read(a, "address")).FirstOrDefault() ?? "<none>";

    private static string ServiceExternalIp(JsonObject service)
    {
        var type = Columns.Read(service, "spec", "type") ?? "ClusterIP";
        var external = (service["spec"]?["externalIPs"] as JsonArray)?.Select(static i => i?.ToString() ?? "").ToList() ?? [];
        switch (type)
        {
            case "ExternalName":
                return Columns.Read(service, "spec", "externalName") ?? "<none>";
            case "LoadBalancer":
                var ingress = (service["status"]?["loadBalancer"]?["ingress"] as JsonArray)?.OfType<JsonObject>().Select(static i => Columns.Read(i, "ip") ?? Columns.Read(i, "hostname") ?? "").ToList() ?? [];
                var all = ingress.Concat(external).ToList();
                return all.Count > 0 ? string.Join(",", all) : "<pending>";
            default:
                return external.Count > 0 ? string.Join(",", external) : "<none>";
        }
    }

    private static string ServicePorts(JsonObject service)
    {
        var ports = (service["spec"]?["ports"] as JsonArray)?.OfType<JsonObject>().Select(static p =>
            Columns.Read(p, "nodePort") is { } nodePort ? $"{Columns.Read(p, "port")}:{nodePort}/{Columns.Read(p, "protocol") ?? "TCP"}" : $"{Columns.Read(p, "port")}/{Columns.Read(p, "protocol") ?? "TCP"}").ToList() ?? [];
        return ports.Count > 0 ? string.Join(",", ports) : "<none>";
    }
}
