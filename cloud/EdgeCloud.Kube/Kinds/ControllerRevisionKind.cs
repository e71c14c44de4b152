using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>
/// apps/v1 ControllerRevision: an immutable snapshot of a controller's state (for a DaemonSet, the patch that puts a
/// pod template back), numbered so kubectl rollout history can list and rollout undo can restore it.
/// </summary>
public static class ControllerRevisionKind
{
    /// <summary>The ControllerRevision kind.</summary>
    public static KindDefinition Definition { get; } = new()
    {
        Group = "apps",
        Version = "v1",
        Kind = "ControllerRevision",
        Plural = "controllerrevisions",
        Singular = "controllerrevision",
        Namespaced = true,
        Schema = MetaSchemas.KindObject(
            "A snapshot of a controller's state, kept for rollback.",
            // runtime.RawExtension: any object; the owning controller alone knows its shape.
            ("data", Schemas.Any("The serialized state, e.g. the patch that restores a pod template.")),
            ("revision", Schemas.Int64("The revision number: a higher number is a later state.")))
            .Require("revision"),
        // printControllerRevision: the controller as lower-cased kind.group/name, the revision number, the age.
        PrinterColumns =
        [
            new() { Name = "Controller", Description = "The controller that owns the revision.", Cell = (obj, _) => Controller(obj) },
            new() { Name = "Revision", Type = "number", Description = "The revision number.", Cell = (obj, _) => TableCells.Number(obj, "revision") },
            TableCells.AgeColumn,
        ],
    };

    private static string Controller(JsonObject obj)
    {
        var owner = TableCells.Objects(obj, "metadata", "ownerReferences").FirstOrDefault(r => TableCells.Flag(r, "controller"));
        if (owner is null)
        {
            return TableCells.None;
        }

        var apiVersion = TableCells.Text(owner, "apiVersion") ?? "";
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? "" : apiVersion[..slash];
        var kind = (TableCells.Text(owner, "kind") ?? "").ToLowerInvariant();
        var groupKind = group.Length == 0 ? kind : kind + "." + group.ToLowerInvariant();
        return groupKind + "/" + TableCells.Text(owner, "name");
    }
}
