using EdgeCloud.Kube.Schema;
using static EdgeCloud.Kube.Schema.Schemas;

namespace EdgeCloud.Kube.Kinds;

/// <summary>coordination.k8s.io/v1 Lease and apiextensions.k8s.io/v1 CustomResourceDefinition.</summary>
public static class ExtensionKinds
{
    /// <summary>coordination.k8s.io/v1 Lease.</summary>
    public static KindDefinition Lease { get; } = new()
    {
        Group = "coordination.k8s.io",
        Version = "v1",
        Kind = "Lease",
        Plural = "leases",
        Singular = "lease",
        Namespaced = true,
        Schema = MetaSchemas.KindObject(
            "A lease for leader election and node heartbeats.",
            ("spec", Object(
                "The lease.",
                ("holderIdentity", String("Current holder.")),
                ("leaseDurationSeconds", Int32("Seconds a holder must wait before taking over.")),
                ("acquireTime", String("When the lease was acquired (RFC 3339 with microseconds).")),
                ("renewTime", String("When the holder last renewed (RFC 3339 with microseconds).")),
                ("leaseTransitions", Int32("Holder changes.")),
                ("strategy", String("Leader election strategy.")),
                ("preferredHolder", String("Holder that should take over."))))),
        PrinterColumns = [Columns.Text("Holder", "Current holder.", 0, "spec", "holderIdentity"), Columns.Age],
    };

    /// <summary>apiextensions.k8s.io/v1 CustomResourceDefinition.</summary>
    public static KindDefinition CustomResourceDefinition { get; } = new()
    {
        Group = "apiextensions.k8s.io",
        Version = "v1",
        Kind = "CustomResourceDefinition",
        Plural = "customresourcedefinitions",
        Singular = "customresourcedefinition",
        Namespaced = false,
        ShortNames = ["crd", "crds"],
        Categories = ["api-extensions"],
        Subresources = ["status"],
        Schema = MetaSchemas.KindObject(
            "Declares a custom resource kind that the cluster then serves.",
            ("spec", Object(
                "The kind declared.",
                ("group", String("API group of the custom resources.")),
                ("names", Any("Plural, singular, kind, list kind, short names and categories.")),
                ("scope", Enum("Namespaced or Cluster.", "Namespaced", "Cluster")),
                ("versions", ListOf(Any("A served version with its schema."), "Versions served.")),
                ("conversion", Any("How versions convert.")),
                ("preserveUnknownFields", Boolean("Deprecated; must be false."))).Require("group", "names", "scope", "versions")),
            ("status", Any("Observed state: conditions, accepted names, stored versions."))),
        PrinterColumns = [new() { Name = "Created At", Type = "date", Description = "Creation time.", Cell = static (o, _) => Columns.Read(o, "metadata", "creationTimestamp") }],
    };
}
