using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>coordination.k8s.io/v1 Lease: a lock with a holder and an expiry, used for leader election and node heartbeats.</summary>
public static class LeaseKind
{
    // metav1.MicroTime has the OpenAPI shape of metav1.Time; the value carries microseconds.
    private static SchemaNode MicroTime(string description) => Schemas.DateTime(description);

    /// <summary>The lease spec.</summary>
    public static SchemaNode Spec { get; } = Schemas.Object(
        "Who holds the lease and until when.",
        ("holderIdentity", Schemas.String("Identity of the current holder.")),
        ("leaseDurationSeconds", Schemas.Int32("Seconds after renewTime that candidates wait before taking the lease.")),
        ("acquireTime", MicroTime("When the current holder acquired the lease.")),
        ("renewTime", MicroTime("When the holder last renewed the lease.")),
        ("leaseTransitions", Schemas.Int32("How many times the lease has changed holder.")),
        ("strategy", Schemas.String("How coordinated leader election picks the next holder, e.g. OldestEmulationVersion.")),
        ("preferredHolder", Schemas.String("Identity the coordinator wants to hold the lease next.")));

    /// <summary>The Lease kind.</summary>
    public static KindDefinition Definition { get; } = new()
    {
        Group = "coordination.k8s.io",
        Version = "v1",
        Kind = "Lease",
        Plural = "leases",
        Singular = "lease",
        Namespaced = true,
        Schema = MetaSchemas.KindObject("A lease: a time-bound lock.", ("spec", Spec)),
        PrinterColumns =
        [
            new() { Name = "Holder", Description = "Identity of the current holder.", Cell = (obj, _) => TableCells.Text(obj, "spec", "holderIdentity") ?? "" },
            TableCells.AgeColumn,
        ],
    };
}
