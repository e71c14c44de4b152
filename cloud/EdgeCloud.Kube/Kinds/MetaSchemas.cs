using EdgeCloud.Kube.Schema;
using S = EdgeCloud.Kube.Schema.Schemas;

namespace EdgeCloud.Kube.Kinds;

/// <summary>
/// Schemas of the meta/v1 types every kind embeds: object and list metadata, owner references, label selectors
/// and the standard condition. Built once on first use and shared by every kind declaration.
/// </summary>
public static class MetaSchemas
{
    /// <summary>metav1.ObjectMeta: the metadata every persisted object carries.</summary>
    public static SchemaNode ObjectMeta => field ??= S.Object(
        "Standard object metadata: identity, labels, annotations, ownership and lifecycle markers.",
        ("name", S.String("Unique name of the object within its namespace (or the cluster for cluster-scoped kinds).")),
        ("generateName", S.String("Prefix from which the server generates a unique name when name is empty.")),
        ("namespace", S.String("Namespace the object lives in; empty for cluster-scoped objects.")),
        ("selfLink", S.String("Deprecated URL of this object; no longer set by the server.")),
        ("uid", S.String("Unique identifier assigned by the server on creation; never reused.")),
        ("resourceVersion", S.String("Opaque version of this object, used for optimistic concurrency and watches.")),
        ("generation", S.Int64("Sequence number of the desired state, incremented by the server when spec changes.")),
        ("creationTimestamp", S.DateTime("Time the server created the object.")),
        ("deletionTimestamp", S.DateTime("Time after which the object will be removed; set when deletion is requested.")),
        ("deletionGracePeriodSeconds", S.Int64("Seconds the object is given to terminate gracefully once deletion is requested.")),
        ("labels", S.StringMap("Key/value pairs used to select and group objects.")),
        ("annotations", S.StringMap("Arbitrary non-identifying key/value data attached by tools and users.")),
        // ObjectMeta.ownerReferences: patchStrategy merge, patchMergeKey uid, listType map keyed by uid.
        ("ownerReferences", S.KeyedList(OwnerReference, "uid", "Objects this one depends on; garbage collection deletes it when all owners are gone.")),
        // ObjectMeta.finalizers: listType set, patchStrategy merge.
        ("finalizers", S.SetOf(S.String(), "Keys that must be removed before the object is deleted from storage.")),
        ("managedFields", S.ListOf(ManagedFieldsEntry, "Which manager owns which fields, as recorded by server-side apply.")));

    /// <summary>metav1.ManagedFieldsEntry: one manager's field set, as recorded by server-side apply.</summary>
    public static SchemaNode ManagedFieldsEntry => field ??= S.Object(
        "A set of fields owned by one manager through one operation.",
        ("manager", S.String("Name of the workflow that manages these fields.")),
        ("operation", S.Enum("Kind of operation that produced this entry.", "Apply", "Update")),
        ("apiVersion", S.String("API version the field set is expressed in.")),
        ("time", S.DateTime("When the fields were last changed by this manager.")),
        ("fieldsType", S.String("Format of fieldsV1; only FieldsV1 is defined.")),
        ("fieldsV1", S.Any("The owned fields as a trie of field, key and value paths.")),
        ("subresource", S.String("Subresource through which the fields were written; empty for the main resource.")));

    /// <summary>metav1.OwnerReference: identifies an owning object in the same namespace.</summary>
    public static SchemaNode OwnerReference => field ??= S.Object(
        "Identifies an object that owns this one.",
        ("apiVersion", S.String("API version of the owner.")),
        ("kind", S.String("Kind of the owner.")),
        ("name", S.String("Name of the owner.")),
        ("uid", S.String("UID of the owner.")),
        ("controller", S.Boolean("True when the owner is the managing controller; at most one owner may set it.")),
        ("blockOwnerDeletion", S.Boolean("When true, foreground deletion of the owner waits for this object to be deleted.")))
        .Require("apiVersion", "kind", "name", "uid")
        // OwnerReference is +structType=atomic upstream: apply replaces a reference as a whole.
        with { AtomicMap = true };

    /// <summary>metav1.LabelSelectorRequirement: one key/operator/values term of a label selector.</summary>
    public static SchemaNode LabelSelectorRequirement => field ??= S.Object(
        "A selector term comparing one label key with a set of values.",
        ("key", S.String("Label key the term applies to.")),
        ("operator", S.Enum("How the key relates to the values.", "In", "NotIn", "Exists", "DoesNotExist")),
        ("values", S.ListOf(S.String(), "Values compared with; empty for Exists and DoesNotExist.")))
        .Require("key", "operator");

    /// <summary>metav1.LabelSelector: matchLabels and matchExpressions, all of which must hold.</summary>
    public static SchemaNode LabelSelector => field ??= S.Object(
        "Selects objects by labels; all terms must match. An empty selector matches everything.",
        ("matchLabels", S.StringMap("Labels that must be present with exactly these values.")),
        ("matchExpressions", S.ListOf(LabelSelectorRequirement, "Additional set-based requirements.")))
        // LabelSelector is +structType=atomic upstream.
        with { AtomicMap = true };

    /// <summary>metav1.ListMeta: metadata of a list response.</summary>
    public static SchemaNode ListMeta => field ??= S.Object(
        "Metadata of a list: its version and paging state.",
        ("selfLink", S.String("Deprecated URL of this list; no longer set by the server.")),
        ("resourceVersion", S.String("Version of the collection at which the list was read; watch from here.")),
        ("continue", S.String("Token to request the next page; empty on the last page.")),
        ("remainingItemCount", S.Int64("Estimated number of items after this page, when the server can tell.")));

    /// <summary>metav1.Condition: the standard condition shape for status.conditions of newer kinds.</summary>
    public static SchemaNode Condition => field ??= S.Object(
        "One aspect of an object's current state.",
        ("type", S.String("Condition type in CamelCase, e.g. Available.")),
        ("status", S.Enum("Whether the condition holds.", "True", "False", "Unknown")),
        ("observedGeneration", S.Int64("metadata.generation the condition was computed from.")),
        ("lastTransitionTime", S.DateTime("When status last changed.")),
        ("reason", S.String("Machine-readable CamelCase reason for the last transition.")),
        ("message", S.String("Human-readable details of the last transition.")))
        .Require("type", "status", "lastTransitionTime", "reason", "message");

    /// <summary>
    /// The schema of a top-level kind: apiVersion, kind and metadata first, then <paramref name="properties"/>
    /// (usually spec and status) in order.
    /// </summary>
    /// <param name="description">What the kind is, shown by <c>kubectl explain</c>.</param>
    /// <param name="properties">The kind's own top-level fields.</param>
    public static SchemaNode KindObject(string description, params (string Name, SchemaNode Node)[] properties)
    {
        (string, SchemaNode)[] standard =
        [
            ("apiVersion", S.String("Versioned schema of this representation, e.g. apps/v1.")),
            ("kind", S.String("REST resource kind this object represents, in CamelCase.")),
            ("metadata", ObjectMeta),
        ];
        return S.Object(description, [.. standard, .. properties]);
    }
}
