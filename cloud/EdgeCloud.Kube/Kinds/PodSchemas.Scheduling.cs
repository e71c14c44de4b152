using EdgeCloud.Kube.Schema;
using S = EdgeCloud.Kube.Schema.Schemas;

namespace EdgeCloud.Kube.Kinds;

public static partial class PodSchemas
{
    /// <summary>core/v1 Affinity: node affinity and inter-pod affinity and anti-affinity.</summary>
    public static SchemaNode Affinity => field ??= S.Object(
        "Scheduling constraints relative to nodes and to other pods.",
        ("nodeAffinity", S.Object(
            "Which nodes the pod prefers or requires, by node labels and fields.",
            ("requiredDuringSchedulingIgnoredDuringExecution", NodeSelector.Describe("Nodes the pod may be scheduled on; later label changes do not evict it.")),
            ("preferredDuringSchedulingIgnoredDuringExecution", S.ListOf(
                S.Object(
                    "A weighted node preference.",
                    ("weight", S.Int32("Weight added to a matching node's score, 1-100.")),
                    ("preference", NodeSelectorTerm.Describe("Terms a node must match to gain the weight.")))
                    .Require("weight", "preference"),
                "Node preferences; the node with the greatest sum of matching weights is preferred.")))),
        ("podAffinity", PodAffinity("Co-locate the pod with pods matching these terms, in the same topology domain.")),
        ("podAntiAffinity", PodAffinity("Keep the pod away from pods matching these terms, in other topology domains.")));

    /// <summary>core/v1 NodeSelector: ORed terms of node requirements.</summary>
    public static SchemaNode NodeSelector => field ??= S.Object(
        "Selects nodes; the terms are ORed.",
        ("nodeSelectorTerms", S.ListOf(NodeSelectorTerm, "Terms of which at least one must match.")))
        .Require("nodeSelectorTerms") with { AtomicMap = true };

    /// <summary>core/v1 Toleration: lets the pod be scheduled onto (or stay on) nodes with a matching taint.</summary>
    public static SchemaNode Toleration => field ??= S.Object(
        "Tolerates taints that match key, value and effect per operator.",
        ("key", S.String("Taint key matched; empty with Exists matches every taint.")),
        ("operator", S.Enum("How value is compared; Equal by default.", "Exists", "Equal", "Lt", "Gt")),
        ("value", S.String("Taint value matched; empty with Exists.")),
        ("effect", S.Enum("Taint effect matched; empty matches all.", "", "NoSchedule", "PreferNoSchedule", "NoExecute")),
        ("tolerationSeconds", S.Int64("For NoExecute, how long the pod stays bound after the taint appears; unset means forever.")));

    /// <summary>core/v1 TopologySpreadConstraint: how evenly matching pods spread over topology domains.</summary>
    public static SchemaNode TopologySpreadConstraint => field ??= S.Object(
        "Bounds the uneven spread of matching pods across topology domains.",
        ("maxSkew", S.Int32("Greatest allowed difference in matching pods between two domains.")),
        ("topologyKey", S.String("Node label whose values define the domains.")),
        ("whenUnsatisfiable", S.Enum("What to do with a pod that would break the constraint.", "DoNotSchedule", "ScheduleAnyway")),
        ("labelSelector", MetaSchemas.LabelSelector.Describe("Pods counted in each domain.")),
        ("minDomains", S.Int32("Least number of eligible domains; fewer count as global minimum 0.")),
        ("nodeAffinityPolicy", S.Enum("Whether the pod's node affinity limits the domains considered.", "Honor", "Ignore")),
        ("nodeTaintsPolicy", S.Enum("Whether node taints limit the domains considered.", "Honor", "Ignore")),
        ("matchLabelKeys", S.ListOf(S.String(), "Label keys whose values on this pod are added to labelSelector.")))
        .Require("maxSkew", "topologyKey", "whenUnsatisfiable");

    private static SchemaNode NodeSelectorTerm => field ??= S.Object(
        "Node requirements that must all match.",
        ("matchExpressions", S.ListOf(NodeSelectorRequirement, "Requirements on node labels.")),
        ("matchFields", S.ListOf(NodeSelectorRequirement, "Requirements on node fields (metadata.name).")))
        with { AtomicMap = true };

    private static SchemaNode NodeSelectorRequirement => field ??= S.Object(
        "Compares a node label or field with values.",
        ("key", S.String("Label key or field name.")),
        ("operator", S.Enum("How the key relates to the values.", "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt")),
        ("values", S.ListOf(S.String(), "Values compared with; one integer for Gt and Lt, none for Exists and DoesNotExist.")))
        .Require("key", "operator");

    private static SchemaNode PodAffinityTerm => field ??= S.Object(
        "Pods (by labels and namespaces) that must share, or must not share, a topology domain with this pod.",
        ("labelSelector", MetaSchemas.LabelSelector.Describe("Pods the term refers to.")),
        ("namespaces", S.ListOf(S.String(), "Namespaces searched; with namespaceSelector, their union. Empty means this pod's namespace.")),
        ("topologyKey", S.String("Node label whose value defines a domain, e.g. kubernetes.io/hostname.")),
        ("namespaceSelector", MetaSchemas.LabelSelector.Describe("Namespaces searched, by label; empty selects all.")),
        ("matchLabelKeys", S.ListOf(S.String(), "Label keys whose values on this pod are ANDed into labelSelector as In.")),
        ("mismatchLabelKeys", S.ListOf(S.String(), "Label keys whose values on this pod are ANDed into labelSelector as NotIn.")))
        .Require("topologyKey");

    private static SchemaNode PodAffinity(string description) => S.Object(
        description,
        ("requiredDuringSchedulingIgnoredDuringExecution", S.ListOf(PodAffinityTerm, "Terms that must all hold at scheduling time.")),
        ("preferredDuringSchedulingIgnoredDuringExecution", S.ListOf(
            S.Object(
                "A weighted pod affinity term.",
                ("weight", S.Int32("Weight added to a matching node's score, 1-100.")),
                ("podAffinityTerm", PodAffinityTerm))
                .Require("weight", "podAffinityTerm"),
            "Preferences; the node with the greatest sum of matching weights is preferred.")));
}
