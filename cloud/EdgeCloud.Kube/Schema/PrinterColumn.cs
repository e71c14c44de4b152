using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Schema;

/// <summary>
/// One column of the Table that <c>kubectl get</c> prints. Priority 0 columns always show; priority 1 only with
/// <c>-o wide</c>. The cell is computed from the object and the time the table is made (for ages).
/// </summary>
public sealed record PrinterColumn
{
    /// <summary>Header as the server sends it in a Table, e.g. "Ready" or "Nominated Node"; kubectl prints it upper-cased.</summary>
    public required string Name { get; init; }

    /// <summary>OpenAPI type of the cell: string, integer, number, boolean or date.</summary>
    public string Type { get; init; } = "string";

    /// <summary>OpenAPI format, e.g. "name" for the NAME column.</summary>
    public string Format { get; init; } = "";

    /// <summary>What the column shows.</summary>
    public string Description { get; init; } = "";

    /// <summary>0: always shown; 1: shown with -o wide.</summary>
    public int Priority { get; init; }

    /// <summary>Computes the cell; null prints as &lt;none&gt;.</summary>
    public required Func<JsonObject, DateTimeOffset, JsonNode?> Cell { get; init; }
}
