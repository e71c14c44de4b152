using EdgeCloud.Kube.Schema;
using static EdgeCloud.Kube.Schema.Schemas;

namespace EdgeCloud.Kube.Kinds;

/// <summary>Schemas shared by every kind: ObjectMeta, label selectors, owner references, conditions.</summary>
public static class MetaSchemas
{
    /// <summary>metav1.OwnerReference.</summary>
    public static SchemaNode OwnerReference { get; } = Object(
        "An object this one belongs to; deleting the owner collects this object.",
        ("apiVersion", String("API version of the owner.")),
        ("kind", String("Kind of the owner.")),
        ("name", String("Name of the owner.")),
        ("uid", String("UID of the owner.")),
        ("controller", Boolean("True when the owner is the managing controller.")),
        ("blockOwnerDeletion", Boolean("True when foreground deletion of the owner waits for this object."))).Require("apiVersion", "kind", "name", "uid");

    /// <summary>metav1.ManagedFieldsEntry.</summary>
    public static SchemaNode ManagedFieldsEntry { get; } = Object(
        "Which manager owns which fields, for server-side apply.",
        ("manager", String("Name of the field manager.")),
        ("operation", String("Apply or Update.")),
        ("apiVersion", String("API version of the fields described.")),
        ("time", DateTime("When the entry last changed.")),
        ("fieldsType", String("Format of fieldsV1; always FieldsV1.")),
        ("fieldsV1", Any("The set of fields owned.")),
        ("subresource", String("Subresource the fields were written through.")));

    /// <summary>metav1.ObjectMeta.</summary>
    public static SchemaNode ObjectMeta { get; } = Object(
        "Standard object metadata.",
        ("name", String("Name, unique within the namespace.")),
        ("generateName", String("Prefix for a server-generated name when name is empty.")),
        ("namespace", String("Namespace of the object.")),
        ("selfLink", String("Deprecated; never set.")),
        ("uid", String("Unique identifier set by the server.")),
        ("resourceVersion", String("Opaque version of the object for optimistic concurrency and watches.")),
        ("generation", Int64("Sequence number of the desired state, incremented on spec changes.")),
        ("creationTimestamp", DateTime("When the object was created.")),
        ("deletionTimestamp", DateTime("When deletion was requested.")),
        ("deletionGracePeriodSeconds", Int64("Seconds allowed for graceful termination.")),
        ("labels", StringMap("Key-value pairs for selecting objects.")),
        ("annotations", StringMap("Non-identifying key-value metadata.")),
        ("ownerReferences", KeyedList(OwnerReference, "uid", "Objects this one depends on.")),
        ("finalizers", SetOf(String(), "Tasks that must finish before the object is deleted.")),
        ("managedFields", ListOf(ManagedFieldsEntry, "Field ownership for server-side apply.")));

    /// <summary>metav1.ListMeta.</summary>
    public static SchemaNode ListMeta { get; } = Object(
        "Standard list metadata.",
        ("resourceVersion", String("Version of the list.")),
        ("continue", String("Token for the next page.")),
        ("remainingItemCount", Int64("Items after this page, when known.")));

    /// <summary>metav1.LabelSelector.</summary>
    public static SchemaNode LabelSelector { get; } = Object(
        "Selects objects by labels; all terms must hold.",
        ("matchLabels", StringMap("Labels that must be equal.")),
        ("matchExpressions", ListOf(Object(
            "One label requirement.",
            ("key", String("The label key.")),
            ("operator", Enum("In, NotIn, Exists or DoesNotExist.", "In", "NotIn", "Exists", "DoesNotExist")),
            ("values", ListOf(String(), "Values for In and NotIn."))).Require("key", "operator"), "Set-based requirements."))) with { AtomicMap = true };

    /// <summary>metav1.Condition.</summary>
    public static SchemaNode Condition { get; } = Object(
        "One observed aspect of the object's state.",
        ("type", String("Condition type.")),
        ("status", Enum("True, False or Unknown.", "True", "False", "Unknown")),
        ("observedGeneration", Int64("Generation the condition was computed from.")),
        ("lastTransitionTime", DateTime("When the status last changed.")),
        ("reason", String("Machine-readable reason.")),
        ("message", String("Human-readable details."))).Require("type", "status");

    /// <summary>A top-level kind schema: apiVersion, kind and metadata first, then <paramref name="properties"/>.</summary>
    public static SchemaNode KindObject(string description, params (string Name, SchemaNode Node)[] properties) =>
        Object(description, [
            ("apiVersion", String("Versioned schema of this object.")),
            ("kind", String("Kind of this object.")),
            ("metadata", ObjectMeta),
            .. properties]);

    /// <summary>
    /// Marks a schema whose declaration is partial: the declared fields are validated and merged by their
    /// rules, other fields are kept as written rather than refused.
    /// </summary>
    public static SchemaNode Open(this SchemaNode node) => node with { PreserveUnknownFields = true };
}
