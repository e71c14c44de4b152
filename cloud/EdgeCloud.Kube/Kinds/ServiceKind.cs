using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>core/v1 Service: a stable address for a set of pods. Names are DNS-1035 labels (they become DNS names and environment variables).</summary>
public static class ServiceKind
{
    /// <summary>One port a service exposes.</summary>
    public static SchemaNode ServicePort { get; } = Schemas.Object(
        "A port the service exposes.",
        ("name", Schemas.String("Port name, a DNS-1123 label; required when there is more than one port.")),
        ("protocol", Schemas.Enum("TCP, UDP or SCTP.", "TCP", "UDP", "SCTP").WithDefault(JsonValue.Create("TCP"))),
        ("appProtocol", Schemas.String("Application protocol, e.g. http or kubernetes.io/h2c, for implementations that use it.")),
        ("port", Schemas.Int32("The port the service listens on.")),
        ("targetPort", Schemas.IntOrString("Port number or named container port on the pods; the service port when unset.")),
        ("nodePort", Schemas.Int32("Port opened on every node for NodePort and LoadBalancer services; allocated when unset.")))
        .Require("port");

    /// <summary>The service spec.</summary>
    public static SchemaNode Spec { get; } = Schemas.Object(
        "How the service should behave.",
        // Ports are identified by port and protocol together (80/TCP and 80/UDP may both exist); strategic merge
        // patch still merges by port alone, as the Go types declare.
        ("ports", Schemas.KeyedList(ServicePort, "port", "Ports the service exposes.") with { ListMapKeys = ["port", "protocol"] }),
        ("selector", Schemas.StringMap("Labels of the pods traffic goes to; with no selector, endpoints are managed by hand.") with { AtomicMap = true }),
        ("clusterIP", Schemas.String("Virtual IP of the service: allocated when unset, \"None\" for a headless service.")),
        ("clusterIPs", Schemas.ListOf(Schemas.String(), "Virtual IPs, one per IP family; the first equals clusterIP.")),
        ("type", Schemas.Enum("ClusterIP, NodePort, LoadBalancer or ExternalName.", "ClusterIP", "NodePort", "LoadBalancer", "ExternalName").WithDefault(JsonValue.Create("ClusterIP"))),
        ("externalIPs", Schemas.ListOf(Schemas.String(), "Further IPs nodes accept traffic on for this service.")),
        ("sessionAffinity", Schemas.Enum("None, or ClientIP to send each client to the same pod.", "None", "ClientIP").WithDefault(JsonValue.Create("None"))),
        ("loadBalancerIP", Schemas.String("Deprecated: the IP a LoadBalancer should use, if the provider supports it.")),
        ("loadBalancerSourceRanges", Schemas.ListOf(Schemas.String(), "Client CIDRs a load balancer accepts.")),
        ("externalName", Schemas.String("DNS name an ExternalName service is an alias (CNAME) for.")),
        ("externalTrafficPolicy", Schemas.Enum("Cluster (any node forwards) or Local (only nodes with a pod, keeping the client IP).", "Cluster", "Local")),
        ("healthCheckNodePort", Schemas.Int32("Node port for load balancer health checks with externalTrafficPolicy Local.")),
        ("publishNotReadyAddresses", Schemas.Boolean("When true, DNS and endpoints include pods that are not ready.")),
        ("sessionAffinityConfig", Schemas.Object(
            "Settings of session affinity.",
            ("clientIP", Schemas.Object(
                "Settings of ClientIP affinity.",
                ("timeoutSeconds", Schemas.Int32("Seconds a client stays with its pod (1 to 86400).").WithDefault(JsonValue.Create(10800))))))),
        ("ipFamilies", Schemas.ListOf(Schemas.Enum(null, "IPv4", "IPv6"), "IP families of the service, in order; set from ipFamilyPolicy when unset.")),
        ("ipFamilyPolicy", Schemas.Enum("SingleStack, PreferDualStack or RequireDualStack.", "SingleStack", "PreferDualStack", "RequireDualStack")),
        ("allocateLoadBalancerNodePorts", Schemas.Boolean("Whether a LoadBalancer service gets node ports (default true).")),
        ("loadBalancerClass", Schemas.String("Which load balancer implementation handles the service; cannot change.")),
        ("internalTrafficPolicy", Schemas.Enum("Cluster or Local: where traffic from inside the cluster may go.", "Cluster", "Local")),
        ("trafficDistribution", Schemas.String("Preference for routing, e.g. PreferClose to keep traffic near its source.")));

    /// <summary>The service status.</summary>
    public static SchemaNode Status { get; } = Schemas.Object(
        "What the service is now.",
        ("loadBalancer", Schemas.Object(
            "The load balancer, if any.",
            ("ingress", Schemas.ListOf(
                Schemas.Object(
                    "One address of the load balancer.",
                    ("ip", Schemas.String("IP address of the load balancer.")),
                    ("hostname", Schemas.String("DNS name of the load balancer.")),
                    ("ipMode", Schemas.Enum("VIP (traffic arrives with the service IP) or Proxy (with the load balancer's).", "VIP", "Proxy")),
                    ("ports", Schemas.ListOf(
                        Schemas.Object(
                            "State of one port of the load balancer.",
                            ("port", Schemas.Int32("Port number.")),
                            ("protocol", Schemas.Enum("TCP, UDP or SCTP.", "TCP", "UDP", "SCTP")),
                            ("error", Schemas.String("Problem with the port, as a CamelCase reason.")))
                            .Require("port", "protocol"),
                        "Ports of the load balancer."))),
                "Addresses of the load balancer.")))),
        ("conditions", Schemas.KeyedList(MetaSchemas.Condition, "type", "Latest observations about the service.")));

    /// <summary>The Service kind.</summary>
    public static KindDefinition Definition { get; } = new()
    {
        NameRule = ObjectNameRule.Dns1035Label,
        Defaulting = KindDefaults.Service,
        Group = "",
        Version = "v1",
        Kind = "Service",
        Plural = "services",
        Singular = "service",
        Namespaced = true,
        ShortNames = ["svc"],
        Categories = ["all"],
        Subresources = ["status"],
        Schema = MetaSchemas.KindObject(
            "A stable virtual IP and DNS name for a set of pods, or an alias for an external name.",
            ("spec", Spec),
            ("status", Status)),
        PrinterColumns =
        [
            new() { Name = "Type", Description = "How the service is exposed.", Cell = (obj, _) => TableCells.Text(obj, "spec", "type") ?? "" },
            new() { Name = "Cluster-IP", Description = "Virtual IP of the service.", Cell = (obj, _) => ClusterIP(obj) },
            new() { Name = "External-IP", Description = "Addresses outside the cluster the service answers on.", Cell = (obj, _) => ExternalIP(obj) },
            new() { Name = "Port(s)", Description = "Ports of the service: port[:nodePort]/protocol.", Cell = (obj, _) => Ports(obj) },
            TableCells.AgeColumn,
            new() { Name = "Selector", Priority = 1, Description = "Labels of the pods traffic goes to.", Cell = (obj, _) => TableCells.FormatLabels(TableCells.At(obj, "spec", "selector")) },
        ],
    };

    private static string ClusterIP(JsonObject service)
    {
        if (TableCells.At(service, "spec", "clusterIPs") is JsonArray { Count: > 0 } ips && TableCells.Text(ips[0]) is { } first)
        {
            return first;
        }

        // An object stored before clusterIPs was filled in still has clusterIP.
        return TableCells.Text(service, "spec", "clusterIP") is { Length: > 0 } ip ? ip : TableCells.None;
    }

    // getServiceExternalIP: spec.externalIPs for ClusterIP and NodePort; for LoadBalancer the load balancer's
    // addresses (sorted, unique) then externalIPs, or <pending> while there are none; the alias for ExternalName.
    // The server builds tables wide, so the load balancer list is never shortened.
    private static string ExternalIP(JsonObject service)
    {
        var externalIPs = (TableCells.At(service, "spec", "externalIPs") as JsonArray ?? [])
            .Select(n => TableCells.Text(n) ?? "").ToList();
        switch (TableCells.Text(service, "spec", "type"))
        {
            case "ClusterIP" or "NodePort":
                return externalIPs.Count > 0 ? string.Join(',', externalIPs) : TableCells.None;
            case "LoadBalancer":
                var ingress = new SortedSet<string>(StringComparer.Ordinal);
                foreach (var entry in TableCells.Objects(service, "status", "loadBalancer", "ingress"))
                {
                    if (TableCells.Text(entry, "ip") is { Length: > 0 } ip)
                    {
                        ingress.Add(ip);
                    }
                    else if (TableCells.Text(entry, "hostname") is { Length: > 0 } hostname)
                    {
                        ingress.Add(hostname);
                    }
                }

                var all = ingress.Concat(externalIPs).ToList();
                return all.Count > 0 ? string.Join(',', all) : "<pending>";
            case "ExternalName":
                return TableCells.Text(service, "spec", "externalName") ?? "";
            default:
                return TableCells.Unknown;
        }
    }

    // makePortString: "port/protocol", or "port:nodePort/protocol" when a node port is set.
    private static string Ports(JsonObject service)
    {
        var pieces = TableCells.Objects(service, "spec", "ports").Select(port =>
        {
            var number = TableCells.Number(port, "port");
            var protocol = TableCells.Text(port, "protocol") ?? "TCP";
            var nodePort = TableCells.Number(port, "nodePort");
            return nodePort > 0 ? $"{number}:{nodePort}/{protocol}" : $"{number}/{protocol}";
        }).ToList();
        return pieces.Count > 0 ? string.Join(',', pieces) : TableCells.None;
    }
}
