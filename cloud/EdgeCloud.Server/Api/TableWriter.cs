using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Server.Api;

/// <summary>
/// meta.k8s.io/v1 Table, what <c>kubectl get</c> prints: NAME plus the kind's printer columns, one row per object
/// carrying the object's metadata (includeObject=Metadata, kubectl's default), and the list's resourceVersion
/// (without it <c>kubectl get -w</c> lists everything twice).
/// </summary>
internal static class TableWriter
{
    /// <summary>Builds the table of <paramref name="objects"/>.</summary>
    public static JsonObject Build(KindDefinition kind, IEnumerable<JsonObject> objects, DateTimeOffset now, string? resourceVersion, string? continueToken, bool includeHeaders = true)
    {
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = ListMetadata(resourceVersion, continueToken),
        };
        if (includeHeaders)
        {
            var columns = new JsonArray();
            if (kind.NameColumn)
            {
                columns.Add(Column("Name", "string", "name", "Name must be unique within a namespace.", 0));
            }

            foreach (var column in kind.PrinterColumns)
            {
                columns.Add(Column(column.Name, column.Type, column.Format, column.Description, column.Priority));
            }

            table["columnDefinitions"] = columns;
        }

        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cells = kind.NameColumn ? new JsonArray { obj.Metadata().GetString("name") } : [];
            foreach (var column in kind.PrinterColumns)
            {
                cells.Add(column.Cell(obj, now)?.DeepClone());
            }

            rows.Add(new JsonObject
            {
                ["cells"] = cells,
                ["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = obj.Metadata().DeepClone(),
                },
            });
        }

        table["rows"] = rows;
        return table;
    }

    private static JsonObject ListMetadata(string? resourceVersion, string? continueToken)
    {
        var metadata = new JsonObject();
        if (resourceVersion is not null)
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }

        return metadata;
    }

    private static JsonObject Column(string name, string type, string format, string description, int priority) => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["format"] = format,
        ["description"] = description,
        ["priority"] = priority,
    };
}
