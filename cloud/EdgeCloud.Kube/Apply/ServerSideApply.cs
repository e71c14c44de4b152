using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Apply;

/// <summary>
/// Server-side apply (PATCH with <c>application/apply-patch+yaml</c>), as the Kubernetes "Server-Side Apply"
/// documentation describes it and structured-merge-diff's merge.Updater.Apply implements it.
/// </summary>
public static class ServerSideApply
{
    /// <summary>The manager that receives every field of an object first applied to after being written without managedFields.</summary>
    public const string BeforeFirstApplyManager = "before-first-apply";

    /// <summary>
    /// Applies <paramref name="applied"/> (the request body as JSON) to <paramref name="live"/> (null to create)
    /// for <paramref name="manager"/> and returns the new object with its managedFields. The manager's Apply entry
    /// becomes exactly the fields of <paramref name="applied"/>; fields it applied last time and no longer does
    /// are removed unless another manager owns them; values are merged (map lists by key, sets by value, atomic
    /// lists and maps replaced). A value that would change a field another manager owns is a conflict unless
    /// <paramref name="force"/>, which moves the field to the applier; applying the value a field already has
    /// shares it. The result equals <paramref name="live"/> when nothing changed, so the caller can skip the write.
    /// </summary>
    /// <param name="live">The stored object, or null when the apply creates it.</param>
    /// <param name="applied">The apply configuration; must carry apiVersion and no metadata.managedFields.</param>
    /// <param name="schema">The kind's schema (<see cref="KindDefinition.Schema"/>).</param>
    /// <param name="manager">The fieldManager query parameter; required for apply.</param>
    /// <param name="force">The force query parameter.</param>
    /// <param name="now">The time recorded on entries that change.</param>
    /// <param name="subresource">The subresource applied through ("status"), or null for the main resource.</param>
    /// <param name="ignoredFields">Fields this endpoint resets (see <see cref="ManagedFields.IgnoredFieldsFor"/>): not applied, never owned.</param>
    /// <exception cref="ApplyConflictException">Fields owned by others would change and <paramref name="force"/> is false.</exception>
    /// <exception cref="InvalidApplyException">The configuration carries managedFields or no apiVersion.</exception>
    public static JsonObject Apply(
        JsonObject? live,
        JsonObject applied,
        SchemaNode schema,
        string manager,
        bool force,
        DateTimeOffset now,
        string? subresource = null,
        FieldSet? ignoredFields = null)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentException.ThrowIfNullOrEmpty(manager);
        subresource = string.IsNullOrEmpty(subresource) ? null : subresource;
        ignoredFields ??= new FieldSet();

        if (applied["metadata"] is JsonObject appliedMetadata && appliedMetadata.ContainsKey("managedFields"))
        {
            throw new InvalidApplyException("metadata.managedFields must be nil");
        }

        var apiVersion = applied["apiVersion"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
        if (apiVersion.Length == 0)
        {
            throw new InvalidApplyException("apiVersion must be set in an apply configuration");
        }

        var entries = ManagedFields.ReadOrEmpty(live);
        var liveValue = live is null ? new JsonObject() : ManagedFields.WithoutManagedFields(live);
        if (live is not null && entries.Count == 0)
        {
            // An object written before anyone applied has no record of who set what: upstream gives everything it
            // holds to one Update manager so the first apply can conflict with it instead of silently owning it.
            var placeholder = new ManagedFieldsEntry
            {
                Manager = BeforeFirstApplyManager,
                Operation = ManagedFieldsOperation.Update,
                ApiVersion = live["apiVersion"]?.GetValue<string>() ?? apiVersion,
                Subresource = subresource,
                Fields = new FieldSet(),
            };
            entries = ManagedFields.TrackUpdate(entries, new JsonObject(), liveValue, schema, placeholder, now, ignoredFields);
        }

        var config = (JsonObject)StructuredValue.RemoveItems(applied, ignoredFields, schema)!;
        var merged = (JsonObject)StructuredValue.Merge(liveValue, config, schema)!;

        var applier = new ManagedFieldsEntry
        {
            Manager = manager,
            Operation = ManagedFieldsOperation.Apply,
            ApiVersion = apiVersion,
            Subresource = subresource,
            Fields = StructuredValue.ToFieldSet(config, schema).RecursiveDifference(ignoredFields),
        };
        var previous = entries.Find(entry => entry.IsSameOwner(applier));
        var others = entries.Where(entry => !entry.IsSameOwner(applier)).ToList();

        if (previous is { Fields.IsEmpty: false })
        {
            merged = Prune(merged, previous.Fields, others, applier.Fields, schema);
        }

        var comparison = FieldComparison.Of(liveValue, merged, schema).Without(ignoredFields);
        var changed = comparison.Added.Union(comparison.Modified);
        var conflicts = others
            .OrderBy(entry => entry.Manager, StringComparer.Ordinal)
            .ThenBy(entry => entry.Operation)
            .ThenBy(entry => entry.ApiVersion, StringComparer.Ordinal)
            .ThenBy(entry => entry.Subresource ?? string.Empty, StringComparer.Ordinal)
            .SelectMany(entry => entry.Fields.Intersection(changed).Paths.Select(path => new ApplyConflict { Owner = entry, Path = path }))
            .ToList();
        if (conflicts.Count > 0 && !force)
        {
            throw new ApplyConflictException(conflicts);
        }

        // With force the contested fields leave their owners; removed fields leave everyone either way.
        var result = others
            .Select(entry => entry with { Fields = entry.Fields.Difference(changed).Difference(comparison.Removed) })
            .ToList();

        var owned = applier.Fields.Difference(ManagedFields.StrippedFields);
        var unchanged = previous is not null && previous.Fields.Equals(owned) && comparison.IsSame;
        result.Add(applier with { Fields = owned, Time = unchanged ? previous!.Time : now });

        ManagedFields.Write(merged, result);
        return merged;
    }

    /// <summary>
    /// Removes what the applier stopped applying: every path of its previous set still in the object that no
    /// manager (the applier's new set included) owns. Struct fields count as owned when anything below them is,
    /// as upstream's prune with EnsureNamedFieldsAreMembers; a map key or list item must be owned itself, so an
    /// item another manager only changed a field of goes with it, as upstream.
    /// </summary>
    private static JsonObject Prune(JsonObject merged, FieldSet previous, List<ManagedFieldsEntry> others, FieldSet current, SchemaNode schema)
    {
        var owned = current.Copy();
        foreach (var entry in others)
        {
            owned.UnionWith(entry.Fields);
        }

        var present = StructuredValue.EnsureNamedFieldsAreMembers(StructuredValue.ToFieldSet(merged, schema), schema);
        var remove = present
            .Intersection(StructuredValue.EnsureNamedFieldsAreMembers(previous, schema))
            .Difference(StructuredValue.EnsureNamedFieldsAreMembers(owned, schema));
        return remove.IsEmpty ? merged : (JsonObject)StructuredValue.RemoveItems(merged, remove, schema)!;
    }
}
