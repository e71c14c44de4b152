using System.Text.Json.Nodes;

namespace EdgeCloud.Controllers.Workloads.DaemonSets;

/// <summary>What to do to a daemon set's ControllerRevisions so kubectl rollout history and undo see its templates.</summary>
public sealed record DaemonSetHistoryPlan
{
    /// <summary>The revision of the current template to create, or null when one exists.</summary>
    public JsonObject? Create { get; init; }

    /// <summary>
    /// The existing revision of the current template with its new, highest revision number (after an undo the old
    /// template becomes the newest revision), or null when nothing changes.
    /// </summary>
    public JsonObject? Update { get; init; }

    /// <summary>Revisions to delete: duplicates of the current one and old ones beyond revisionHistoryLimit that no pod uses.</summary>
    public required IReadOnlyList<JsonObject> Delete { get; init; }

    /// <summary>
    /// A revision named for the current hash holds another template: the caller increments status.collisionCount
    /// (which changes the hash) and syncs again, creating nothing now.
    /// </summary>
    public bool HashCollision { get; init; }

    /// <summary>The revision number of the current template after the plan is carried out.</summary>
    public long CurrentRevision { get; init; }
}
