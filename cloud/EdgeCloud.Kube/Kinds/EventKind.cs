using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>
/// core/v1 Event: a report of something that happened to an object. Its table has no leading Name column:
/// kubectl shows LAST SEEN first and the name only with -o wide (see <see cref="KindDefinition.NameColumn"/>).
/// </summary>
public static class EventKind
{
    // metav1.MicroTime is published with the same OpenAPI shape as metav1.Time (string, date-time); only its
    // serialization carries microseconds.
    private static SchemaNode MicroTime(string description) => Schemas.DateTime(description);

    /// <summary>The Event kind.</summary>
    public static KindDefinition Definition { get; } = new()
    {
        Group = "",
        Version = "v1",
        Kind = "Event",
        Plural = "events",
        Singular = "event",
        Namespaced = true,
        ShortNames = ["ev"],
        NameColumn = false,
        TimeToLive = TimeSpan.FromHours(1),
        Schema = MetaSchemas.KindObject(
            "A report of something that happened to an object.",
            [
                ("involvedObject", CoreSchemas.ObjectReference.Describe("The object the event is about.")),
                ("reason", Schemas.String("Short CamelCase reason for the event, e.g. Scheduled.")),
                ("message", Schemas.String("Human-readable description.")),
                ("source", Schemas.Object(
                    "The component that reported the event.",
                    ("component", Schemas.String("Reporting component, e.g. kubelet.")),
                    ("host", Schemas.String("Node the event was reported from.")))),
                ("firstTimestamp", Schemas.DateTime("When the event was first recorded.")),
                ("lastTimestamp", Schemas.DateTime("When the event most recently occurred.")),
                ("count", Schemas.Int32("How many times the event has occurred.")),
                ("type", Schemas.String("Normal or Warning; other types may come.")),
                ("eventTime", MicroTime("When the event was first observed, with microseconds.")),
                ("series", Schemas.Object(
                    "Data about a recurring event.",
                    ("count", Schemas.Int32("Occurrences in the series so far.")),
                    ("lastObservedTime", MicroTime("When the last occurrence was seen, with microseconds.")))),
                ("action", Schemas.String("What was done, or failed, to the object.")),
                ("related", CoreSchemas.ObjectReference.Describe("A second object involved, if any.")),
                ("reportingComponent", Schemas.String("Controller that emitted the event, e.g. kubernetes.io/kubelet.")),
                ("reportingInstance", Schemas.String("Instance of the controller that emitted the event, e.g. the node name.")),
            ]).Require("metadata", "involvedObject"),
        PrinterColumns =
        [
            new() { Name = "Last Seen", Description = "Time since the event last occurred.", Cell = (obj, now) => LastSeen(obj, now) },
            new() { Name = "Type", Description = "Normal or Warning.", Cell = (obj, _) => TableCells.Text(obj, "type") ?? "" },
            new() { Name = "Reason", Description = "Why the event happened.", Cell = (obj, _) => TableCells.Text(obj, "reason") ?? "" },
            new() { Name = "Object", Description = "The object the event is about, kind/name.", Cell = (obj, _) => Target(obj) },
            new() { Name = "Subobject", Priority = 1, Description = "The part of the object, if any.", Cell = (obj, _) => TableCells.Text(obj, "involvedObject", "fieldPath") ?? "" },
            new() { Name = "Source", Priority = 1, Description = "Component and host that reported the event.", Cell = (obj, _) => Source(obj) },
            new() { Name = "Message", Description = "What happened.", Cell = (obj, _) => (TableCells.Text(obj, "message") ?? "").Trim() },
            new() { Name = "First Seen", Priority = 1, Description = "Time since the event first occurred.", Cell = (obj, now) => FirstSeen(obj, now) },
            new() { Name = "Count", Type = "integer", Priority = 1, Description = "How many times the event occurred.", Cell = (obj, _) => Count(obj) },
            new() { Name = "Name", Format = "name", Priority = 1, Description = "Name of the event.", Cell = (obj, _) => TableCells.Text(obj, "metadata", "name") ?? "" },
        ],
    };

    // printEvent: firstTimestamp, else eventTime (events written through events.k8s.io only set eventTime).
    private static string FirstSeen(JsonObject e, DateTimeOffset now) =>
        TableCells.Since(TableCells.Time(e, "firstTimestamp") ?? TableCells.Time(e, "eventTime"), now);

    // A series' last observation wins; otherwise lastTimestamp, falling back to the first-seen time.
    private static string LastSeen(JsonObject e, DateTimeOffset now)
    {
        if (TableCells.Has(e, "series"))
        {
            return TableCells.Since(TableCells.Time(e, "series", "lastObservedTime"), now);
        }

        return TableCells.Time(e, "lastTimestamp") is { } last ? TableCells.Since(last, now) : FirstSeen(e, now);
    }

    // Singleton events of the newer API carry no count; the printer shows them as 1.
    private static long Count(JsonObject e)
    {
        if (TableCells.Has(e, "series"))
        {
            return TableCells.Number(e, "series", "count");
        }

        var count = TableCells.Number(e, "count");
        return count == 0 ? 1 : count;
    }

    private static string Target(JsonObject e)
    {
        var kind = (TableCells.Text(e, "involvedObject", "kind") ?? "").ToLowerInvariant();
        return TableCells.Text(e, "involvedObject", "name") is { Length: > 0 } name ? $"{kind}/{name}" : kind;
    }

    // formatEventSource: component (or reportingController), then ", host" (or reportingInstance) when known.
    private static string Source(JsonObject e)
    {
        static string FirstNonEmpty(string? a, string? b) => string.IsNullOrEmpty(a) ? b ?? "" : a;
        var component = FirstNonEmpty(TableCells.Text(e, "source", "component"), TableCells.Text(e, "reportingComponent"));
        var instance = FirstNonEmpty(TableCells.Text(e, "source", "host"), TableCells.Text(e, "reportingInstance"));
        if (component.Length == 0 && instance.Length == 0)
        {
            return "";
        }

        return instance.Length > 0 ? $"{component}, {instance}" : component;
    }
}
