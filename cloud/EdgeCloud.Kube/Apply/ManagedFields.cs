using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Apply;

/// <summary>
/// Reading, writing and tracking metadata.managedFields for every write, as kube-apiserver's field manager does
/// (k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager and structured-merge-diff's merge.Updater).
/// </summary>
public static class ManagedFields
{
    /// <summary>
    /// Fields never recorded as owned: identity and server-set metadata (upstream's stripMetaManager set).
    /// "metadata" itself is stripped only as a member, so the fields under it are still owned.
    /// </summary>
    public static FieldSet StrippedFields { get; } = new(
    [
        FieldPath.Of("apiVersion"),
        FieldPath.Of("kind"),
        FieldPath.Of("metadata"),
        FieldPath.Of("metadata", "name"),
        FieldPath.Of("metadata", "namespace"),
        FieldPath.Of("metadata", "creationTimestamp"),
        FieldPath.Of("metadata", "selfLink"),
        FieldPath.Of("metadata", "uid"),
        FieldPath.Of("metadata", "clusterName"),
        FieldPath.Of("metadata", "generation"),
        FieldPath.Of("metadata", "managedFields"),
        FieldPath.Of("metadata", "resourceVersion"),
    ]);

    /// <summary>
    /// The fields a write through <paramref name="subresource"/> cannot change and so never owns, as the
    /// registry strategies' GetResetFields say for the common case: the main resource of a kind with a status
    /// subresource resets status, the status subresource resets spec. Empty otherwise.
    /// </summary>
    public static FieldSet IgnoredFieldsFor(KindDefinition kind, string? subresource)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return (subresource, kind.HasStatus) switch
        {
            (null or "", true) => new FieldSet([FieldPath.Of("status")]),
            ("status", _) => new FieldSet([FieldPath.Of("spec")]),
            _ => new FieldSet(),
        };
    }

    /// <summary>
    /// The fields <paramref name="obj"/> sets, in the form an applier would own them: server-set metadata
    /// (<see cref="StrippedFields"/>) and <paramref name="ignoredFields"/> with everything below them left out.
    /// </summary>
    public static FieldSet FieldsOf(JsonObject obj, SchemaNode schema, FieldSet? ignoredFields = null)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var set = StructuredValue.ToFieldSet(WithoutManagedFields(obj), schema);
        return set.RecursiveDifference(ignoredFields ?? new FieldSet()).Difference(StrippedFields);
    }

    /// <summary>The decoded metadata.managedFields of <paramref name="obj"/>; empty when there are none.</summary>
    /// <exception cref="FormatException">An entry cannot be decoded.</exception>
    public static IReadOnlyList<ManagedFieldsEntry> Read(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (obj["metadata"]?["managedFields"] is not JsonNode node)
        {
            return [];
        }

        if (node is not JsonArray array)
        {
            throw new FormatException("metadata.managedFields must be a list");
        }

        return [.. array.Select(ManagedFieldsEntry.FromJson)];
    }

    /// <summary>
    /// Stores <paramref name="entries"/> as metadata.managedFields: empty entries dropped, Apply entries first,
    /// then by time, manager, apiVersion and subresource as upstream sorts them; the field is removed when no
    /// entry is left.
    /// </summary>
    public static void Write(JsonObject obj, IEnumerable<ManagedFieldsEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(entries);
        var sorted = entries
            .Where(entry => !entry.Fields.IsEmpty)
            .OrderBy(entry => entry.Operation)
            .ThenBy(entry => entry.Time?.ToUnixTimeSeconds() ?? 0)
            .ThenBy(entry => entry.Manager, StringComparer.Ordinal)
            .ThenBy(entry => entry.ApiVersion, StringComparer.Ordinal)
            .ThenBy(entry => entry.Subresource ?? string.Empty, StringComparer.Ordinal)
            .ToList();
        if (sorted.Count == 0)
        {
            (obj["metadata"] as JsonObject)?.Remove("managedFields");
            return;
        }

        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = new JsonObject();
            obj["metadata"] = metadata;
        }

        metadata["managedFields"] = new JsonArray([.. sorted.Select(entry => (JsonNode)entry.ToJson())]);
    }

    /// <summary>
    /// Records a non-apply write (create, update, patch) of <paramref name="after"/> over <paramref name="before"/>
    /// (null on create) by <paramref name="manager"/>, and returns a copy of <paramref name="after"/> carrying the
    /// new managedFields. The manager's Update entry gains every field that was added or changed (on create, every
    /// field set) and its time becomes <paramref name="now"/>; every other entry loses the fields whose values
    /// changed or that were removed.
    /// </summary>
    /// <remarks>
    /// Which managedFields are the starting point follows upstream's decodeLiveOrNew: a subresource write always
    /// starts from <paramref name="before"/>'s; a main-resource write may replace them by sending its own, may
    /// clear them with <c>managedFields: [{}]</c>, and keeps <paramref name="before"/>'s when it sends none or
    /// ones that cannot be decoded (so clients unaware of the field cannot drop it).
    /// </remarks>
    public static JsonObject Update(
        JsonObject? before,
        JsonObject after,
        SchemaNode schema,
        string manager,
        string apiVersion,
        DateTimeOffset now,
        string? subresource = null,
        FieldSet? ignoredFields = null)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(apiVersion);
        var entries = StartingEntries(before, after, string.IsNullOrEmpty(subresource) ? null : subresource);
        var beforeValue = before is null ? new JsonObject() : WithoutManagedFields(before);
        var afterValue = WithoutManagedFields(after);
        var owner = new ManagedFieldsEntry
        {
            Manager = manager,
            Operation = ManagedFieldsOperation.Update,
            ApiVersion = apiVersion,
            Subresource = string.IsNullOrEmpty(subresource) ? null : subresource,
            Fields = new FieldSet(),
        };
        entries = TrackUpdate(entries, beforeValue, afterValue, schema, owner, now, ignoredFields ?? new FieldSet());
        Write(afterValue, entries);
        return afterValue;
    }

    /// <summary>
    /// The update bookkeeping shared by <see cref="Update"/> and the first apply to an object without
    /// managedFields: changed fields move to <paramref name="owner"/>, removed fields leave everyone.
    /// </summary>
    internal static List<ManagedFieldsEntry> TrackUpdate(
        List<ManagedFieldsEntry> entries,
        JsonObject beforeValue,
        JsonObject afterValue,
        SchemaNode schema,
        ManagedFieldsEntry owner,
        DateTimeOffset now,
        FieldSet ignoredFields)
    {
        var comparison = FieldComparison.Of(beforeValue, afterValue, schema).Without(ignoredFields);
        var changed = comparison.Added.Union(comparison.Modified);
        var result = entries
            .Select(entry => entry with { Fields = entry.Fields.Difference(changed).Difference(comparison.Removed) })
            .ToList();

        var gained = changed.Difference(StrippedFields);
        if (!gained.IsEmpty)
        {
            // Upstream runs the write as a throwaway manager and then unions its fields into the real one's entry;
            // the entry's time moves only when the write took fields.
            var index = result.FindIndex(entry => entry.IsSameOwner(owner));
            if (index >= 0)
            {
                result[index] = result[index] with { Fields = result[index].Fields.Union(gained), Time = now };
            }
            else
            {
                result.Add(owner with { Fields = gained, Time = now });
            }
        }

        result.RemoveAll(entry => entry.Fields.IsEmpty);
        return result;
    }

    internal static JsonObject WithoutManagedFields(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        (copy["metadata"] as JsonObject)?.Remove("managedFields");
        return copy;
    }

    internal static List<ManagedFieldsEntry> ReadOrEmpty(JsonObject? obj)
    {
        if (obj is null)
        {
            return [];
        }

        try
        {
            return [.. Read(obj)];
        }
        catch (FormatException)
        {
            // Upstream drops managedFields it cannot decode rather than failing the write.
            return [];
        }
    }

    private static List<ManagedFieldsEntry> StartingEntries(JsonObject? before, JsonObject after, string? subresource)
    {
        if (subresource is not null)
        {
            return ReadOrEmpty(before);
        }

        if (after["metadata"]?["managedFields"] is JsonArray sent && sent.Count == 1 && sent[0] is JsonObject { Count: 0 })
        {
            return [];
        }

        var fromRequest = ReadOrEmpty(after);
        return fromRequest.Count > 0 ? fromRequest : ReadOrEmpty(before);
    }
}
