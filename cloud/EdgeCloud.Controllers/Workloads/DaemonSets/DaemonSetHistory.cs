using System.Text.Json.Nodes;
using EdgeCloud.Kube.Apply;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Workloads.DaemonSets;

/// <summary>
/// A daemon set's revision history as upstream keeps it: one apps/v1 ControllerRevision per template, named
/// &lt;daemon set&gt;-&lt;hash&gt;, whose data is the patch that puts that template back (what kubectl rollout undo
/// applies) and whose revision number orders them (what kubectl rollout history lists).
/// </summary>
public static class DaemonSetHistory
{
    /// <summary>
    /// The patch that restores <paramref name="daemonSet"/>'s template: {"spec":{"template":{…,"$patch":"replace"}}},
    /// a strategic merge patch that replaces the template whole.
    /// </summary>
    public static JsonObject Patch(JsonObject daemonSet)
    {
        var template = daemonSet["spec"]?["template"]?.DeepClone() as JsonObject ?? [];
        template["$patch"] = "replace";
        return new JsonObject { ["spec"] = new JsonObject { ["template"] = template } };
    }

    /// <summary>The ControllerRevision for <paramref name="daemonSet"/>'s current template, numbered <paramref name="revision"/>.</summary>
    public static JsonObject Build(JsonObject daemonSet, string hash, long revision)
    {
        var metadata = daemonSet.Metadata();
        var labels = daemonSet["spec"]?["template"]?["metadata"]?["labels"]?.DeepClone() as JsonObject ?? [];
        labels[DaemonSetPods.ControllerRevisionHashLabel] = hash;
        var revisionMetadata = new JsonObject
        {
            ["name"] = metadata.GetString("name") + "-" + hash,
            ["namespace"] = metadata.GetString("namespace"),
            ["labels"] = labels,
            ["ownerReferences"] = new JsonArray(ControllerRefs.For(DaemonSetKind.Definition, daemonSet)),
        };
        // The daemon set's annotations travel along, so kubectl rollout history shows kubernetes.io/change-cause.
        if (metadata["annotations"] is JsonObject annotations)
        {
            revisionMetadata["annotations"] = annotations.DeepClone();
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ControllerRevision",
            ["metadata"] = revisionMetadata,
            ["data"] = Patch(daemonSet),
            ["revision"] = revision,
        };
    }

    /// <summary>
    /// Plans the history of <paramref name="daemonSet"/> given its <paramref name="revisions"/> (those it controls)
    /// and its <paramref name="pods"/> (whose templates are kept whatever the limit).
    /// </summary>
    public static DaemonSetHistoryPlan Plan(JsonObject daemonSet, IReadOnlyList<JsonObject> revisions, IReadOnlyList<JsonObject> pods)
    {
        ArgumentNullException.ThrowIfNull(daemonSet);
        ArgumentNullException.ThrowIfNull(revisions);
        ArgumentNullException.ThrowIfNull(pods);
        var hash = DaemonSetPlanning.Hash(daemonSet);
        var name = daemonSet.Metadata().GetString("name") + "-" + hash;
        var patch = CanonicalJson.Write(Patch(daemonSet));
        var current = revisions.Where(r => CanonicalJson.Write(r["data"]) == patch).OrderByDescending(Revision).ToList();
        var old = revisions.Where(r => !current.Contains(r)).ToList();
        var delete = new List<JsonObject>(current.Skip(1));
        var next = revisions.Count == 0 ? 1 : old.Select(Revision).DefaultIfEmpty(0).Max() + 1;

        JsonObject? create = null, update = null;
        var collision = false;
        long currentRevision;
        if (current.Count == 0)
        {
            collision = old.Any(r => r.Metadata().GetString("name") == name);
            create = collision ? null : Build(daemonSet, hash, next);
            currentRevision = collision ? 0 : next;
        }
        else
        {
            var keep = current[0];
            currentRevision = Math.Max(Revision(keep), next);
            if (Revision(keep) < next)
            {
                update = keep.DeepClone().AsObject();
                update["revision"] = next;
            }
        }

        // Keep revisionHistoryLimit old revisions, and any a live pod still runs; drop the oldest first.
        var limit = DaemonSetPods.Integer(daemonSet["spec"]?["revisionHistoryLimit"]) ?? 10;
        var excess = old.Count - limit;
        if (excess > 0)
        {
            var live = pods.Select(p => (p.Metadata()["labels"] as JsonObject)?.GetString(DaemonSetPods.ControllerRevisionHashLabel))
                .OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var revision in old.OrderBy(Revision))
            {
                if (excess == 0)
                {
                    break;
                }

                if (live.Contains((revision.Metadata()["labels"] as JsonObject)?.GetString(DaemonSetPods.ControllerRevisionHashLabel) ?? ""))
                {
                    continue;
                }

                delete.Add(revision);
                excess--;
            }
        }

        return new DaemonSetHistoryPlan
        {
            Create = create,
            Update = update,
            Delete = delete,
            HashCollision = collision,
            CurrentRevision = currentRevision,
        };
    }

    private static long Revision(JsonObject revision) => DaemonSetPods.Integer(revision["revision"]) ?? 0;
}
