using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>core/v1 Namespace. Names are DNS-1123 labels (not subdomains), unlike most kinds.</summary>
public static class NamespaceKind
{
    /// <summary>The namespace spec: only the finalizers that must run before it is removed.</summary>
    public static SchemaNode Spec { get; } = Schemas.Object(
        "What the namespace should be.",
        ("finalizers", Schemas.ListOf(Schemas.String(), "Finalizers that must remove themselves before the namespace is deleted for good; kubernetes is the built-in one.")));

    /// <summary>The namespace status: phase and conditions about its deletion.</summary>
    public static SchemaNode Status { get; } = Schemas.Object(
        "What the namespace is now.",
        // SetDefaults_NamespaceStatus: an empty phase becomes Active.
        ("phase", Schemas.Enum("Active, or Terminating once deletion has started.", "Active", "Terminating").WithDefault(JsonValue.Create("Active"))),
        ("conditions", ConditionSchemas.Keyed(
            ConditionSchemas.Condition("One aspect of the namespace's state, mostly about content left to delete.", "lastTransitionTime"),
            "Latest observations about the namespace.")));

    /// <summary>The Namespace kind.</summary>
    public static KindDefinition Definition { get; } = new()
    {
        NameRule = ObjectNameRule.DnsLabel,
        Defaulting = KindDefaults.Namespace,
        Group = "",
        Version = "v1",
        Kind = "Namespace",
        Plural = "namespaces",
        Singular = "namespace",
        Namespaced = false,
        ShortNames = ["ns"],
        // kube-apiserver serves namespaces/status and namespaces/finalize (the namespace controller empties
        // spec.finalizers through finalize).
        Subresources = ["status", "finalize"],
        Schema = MetaSchemas.KindObject(
            "A scope for names, and the unit of many policies.",
            ("spec", Spec),
            ("status", Status.WithDefault(new JsonObject { ["phase"] = "Active" }))),
        PrinterColumns =
        [
            new()
            {
                Name = "Status",
                Description = "The status of the namespace.",
                Cell = (obj, _) => TableCells.Text(obj, "status", "phase") ?? "",
            },
            TableCells.AgeColumn,
        ],
    };
}
